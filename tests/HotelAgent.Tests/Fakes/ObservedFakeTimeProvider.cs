using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace HotelAgent.Tests.Fakes;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also says when code starts waiting on it: every timer armed (a
/// <c>Task.Delay</c>, a timeout, a lease renewal) is counted, so a test advances the clock only once the code under test
/// is really waiting, instead of guessing with a sleep.
/// </summary>
public sealed class ObservedFakeTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    /// <summary>Timers armed so far (created or changed with a finite due time).</summary>
    public AwaitableCount ArmedTimers { get; } = new();

    /// <summary>The due times of the armed timers, in order.</summary>
    public IReadOnlyList<TimeSpan> DueTimes => [.. _dueTimes];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ObservedTimer(base.CreateTimer(callback, state, dueTime, period), this);
        Armed(dueTime);
        return timer;
    }

    private void Armed(TimeSpan dueTime)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _dueTimes.Enqueue(dueTime);
            ArmedTimers.Increment();
        }
    }

    private sealed class ObservedTimer(ITimer inner, ObservedFakeTimeProvider owner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            owner.Armed(dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
