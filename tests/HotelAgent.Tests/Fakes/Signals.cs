namespace HotelAgent.Tests.Fakes;

/// <summary>
/// A count a test awaits: fakes count what they receive (requests, calls, deliveries) and a test waits for the count it
/// expects, a positive signal instead of a sleep. Waiting is bounded only to turn a hang into a clear failure.
/// </summary>
public sealed class AwaitableCount
{
    private readonly Lock _gate = new();
    private readonly List<(int Target, TaskCompletionSource Reached)> _waiters = [];
    private int _value;

    public int Value
    {
        get
        {
            lock (_gate)
            {
                return _value;
            }
        }
    }

    public int Increment()
    {
        List<TaskCompletionSource> reached = [];
        int value;
        lock (_gate)
        {
            value = ++_value;
            _waiters.RemoveAll(w =>
            {
                if (w.Target > value)
                {
                    return false;
                }

                reached.Add(w.Reached);
                return true;
            });
        }

        reached.ForEach(r => r.TrySetResult());
        return value;
    }

    /// <summary>Completes once the count is at least <paramref name="atLeast"/>; fails after <paramref name="timeout"/> (default 30 s).</summary>
    public Task WaitForAsync(int atLeast, TimeSpan? timeout = null, string? what = null)
    {
        TaskCompletionSource reached;
        lock (_gate)
        {
            if (_value >= atLeast)
            {
                return Task.CompletedTask;
            }

            reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((atLeast, reached));
        }

        return Within(reached.Task, timeout, () => $"{what ?? "count"}: {Value} of {atLeast}");
    }

    private static async Task Within(Task task, TimeSpan? timeout, Func<string> state)
    {
        try
        {
            await task.WaitAsync(timeout ?? Eventually.DefaultTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("Timed out waiting: " + state());
        }
    }
}

/// <summary>
/// Waits for a condition that can only be observed by asking (a store's state, an orchestration's status). Polls with a
/// short pause and returns as soon as it holds; the deadline only turns a condition that never comes into a failure.
/// </summary>
public static class Eventually
{
    /// <summary>Generous: the suite must pass on a machine whose two cores are busy with other builds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    public static Task<bool> TrueAsync(Func<bool> condition, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), timeout);

    /// <summary>Asserts the condition holds within the timeout; <paramref name="because"/> explains a failure.</summary>
    public static async Task AssertAsync(Func<Task<bool>> condition, Func<string> because, TimeSpan? timeout = null)
    {
        if (!await TrueAsync(condition, timeout))
        {
            Assert.Fail(because());
        }
    }

    public static Task AssertAsync(Func<bool> condition, Func<string> because, TimeSpan? timeout = null) =>
        AssertAsync(() => Task.FromResult(condition()), because, timeout);
}
