namespace HotelAgent.Core.Orchestration;

/// <summary>
/// Single-threaded synchronization context on which orchestrator code runs: continuations of durable tasks are
/// queued and drained by the executor on its own thread, so orchestrator code never runs concurrently and the
/// executor knows when the orchestrator is idle. Posts after the execution closed are dropped.
/// </summary>
internal sealed class OrchestrationSynchronizationContext : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly Lock _lock = new();
    private readonly int _ownerThreadId = Environment.CurrentManagedThreadId;
    private bool _closed;

    /// <summary>
    /// A continuation was posted from another thread: the orchestrator awaited something that completed outside
    /// the executor (timer, I/O, thread pool). Such continuations are not run.
    /// </summary>
    public bool ForeignPostSeen { get; private set; }

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_lock)
        {
            if (Environment.CurrentManagedThreadId != _ownerThreadId)
            {
                ForeignPostSeen = true;
                return;
            }

            if (!_closed)
            {
                _queue.Enqueue((d, state));
            }
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous Send is not supported inside an orchestrator.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs queued continuations until the queue is empty.</summary>
    public void Drain()
    {
        while (true)
        {
            (SendOrPostCallback Callback, object? State) item;
            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    return;
                }

                item = _queue.Dequeue();
            }

            item.Callback(item.State);
        }
    }

    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            _queue.Clear();
        }
    }
}
