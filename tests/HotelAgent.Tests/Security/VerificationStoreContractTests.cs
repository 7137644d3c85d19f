using HotelAgent.Core.Security;
using HotelAgent.Tests.Fakes.Storage;
using Microsoft.Extensions.Time.Testing;

namespace HotelAgent.Tests.Security;

/// <summary>
/// One-time-code challenges, sending limits and locks, on SQLite and on Azure Tables; limits and locks hold across
/// instances (a second store object on the same state).
/// </summary>
public abstract class VerificationStoreContractTests(StoreBackend backend) : IDisposable
{
    private static readonly VerificationLimits Limits = new(TimeSpan.FromMinutes(60), MaxCodeAttempts: 3, MaxCodesPerReservationPerHour: 2, MaxCodesPerConversationPerHour: 3);
    private static readonly byte[] Hash = [1, 2, 3, 4];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2027, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        backend.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Codes_are_sent_within_the_limits_of_the_booking_and_the_conversation_across_instances()
    {
        var a = backend.Verification();
        var b = backend.Verification();
        Assert.Equal(ChallengeOutcome.Send, await a.StartAsync(Start("vc-1", "HPS-AAA", "conv-1"), default));
        Assert.Equal(ChallengeOutcome.Replayed, await b.StartAsync(Start("vc-1", "HPS-AAA", "conv-1"), default));
        Assert.Equal(ChallengeOutcome.Send, await b.StartAsync(Start("vc-2", "HPS-AAA", "conv-2"), default));
        Assert.Equal(ChallengeOutcome.Limited, await a.StartAsync(Start("vc-3", "HPS-AAA", "conv-3"), default)); // 2 codes per booking per hour
        Assert.Equal(ChallengeOutcome.Unknown, await a.StartAsync(Start("vc-4", "HPS-NONE", "conv-1", exists: false), default));
        Assert.Equal(ChallengeOutcome.Send, await a.StartAsync(Start("vc-5", "HPS-BBB", "conv-1"), default));
        Assert.Equal(ChallengeOutcome.Limited, await b.StartAsync(Start("vc-6", "HPS-CCC", "conv-1"), default)); // 3 challenges per conversation per hour

        _time.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(ChallengeOutcome.Send, await b.StartAsync(Start("vc-7", "HPS-AAA", "conv-3"), default));
    }

    [Fact]
    public async Task Racing_requests_for_one_booking_never_send_more_codes_than_the_limit()
    {
        var stores = new[] { backend.Verification(), backend.Verification() };
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            stores[i % 2].StartAsync(Start($"vc-r{i}", "HPS-RACE", $"conv-r{i}"), default))));
        Assert.Equal(2, outcomes.Count(o => o == ChallengeOutcome.Send));
        Assert.Equal(6, outcomes.Count(o => o == ChallengeOutcome.Limited));
    }

    [Fact]
    public async Task Wrong_codes_on_any_instance_lock_the_booking_and_a_right_code_verifies_once_in_its_conversation()
    {
        var a = backend.Verification();
        var b = backend.Verification();
        Assert.Equal(ChallengeOutcome.Send, await a.StartAsync(Start("vc-10", "HPS-LOCK", "conv-10"), default));
        Assert.Equal(ChallengeOutcome.Send, await a.StartAsync(Start("vc-11", "HPS-OK", "conv-11"), default));

        Assert.Equal(new ChallengeCheckOutcome(CodeCheckStatus.Wrong, null), await b.CheckAsync(Check("vc-11", "conv-other", right: true), default));
        Assert.Equal(new ChallengeCheckOutcome(CodeCheckStatus.Wrong, null), await b.CheckAsync(Check("vc-missing", "conv-11", right: true), default));
        Assert.Equal(new ChallengeCheckOutcome(CodeCheckStatus.Verified, "HPS-OK"), await b.CheckAsync(Check("vc-11", "conv-11", right: true), default));
        Assert.Equal(CodeCheckStatus.Verified, (await a.CheckAsync(Check("vc-11", "conv-11", right: true), default)).Status); // a retried activity
        Assert.Equal(CodeCheckStatus.Wrong, (await a.CheckAsync(Check("vc-11", "conv-11", right: false), default)).Status);

        Assert.Equal(CodeCheckStatus.Wrong, (await a.CheckAsync(Check("vc-10", "conv-10", right: false), default)).Status);
        Assert.Equal(CodeCheckStatus.Wrong, (await b.CheckAsync(Check("vc-10", "conv-10", right: false), default)).Status);
        Assert.Equal(new ChallengeCheckOutcome(CodeCheckStatus.Locked, "HPS-LOCK"), await a.CheckAsync(Check("vc-10", "conv-10", right: false), default));
        Assert.Equal(CodeCheckStatus.Locked, (await b.CheckAsync(Check("vc-10", "conv-10", right: true), default)).Status);
        Assert.Equal(ChallengeOutcome.Locked, await b.StartAsync(Start("vc-12", "HPS-LOCK", "conv-12"), default));

        _time.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(CodeCheckStatus.Expired, (await b.CheckAsync(Check("vc-10", "conv-10", right: true), default)).Status);
        Assert.Equal(ChallengeOutcome.Send, await a.StartAsync(Start("vc-13", "HPS-LOCK", "conv-13"), default));
        Assert.Equal(CodeCheckStatus.Verified, (await b.CheckAsync(Check("vc-13", "conv-13", right: true), default)).Status);
    }

    [Fact]
    public async Task Concurrent_wrong_codes_are_all_counted()
    {
        var stores = new[] { backend.Verification(), backend.Verification() };
        Assert.Equal(ChallengeOutcome.Send, await stores[0].StartAsync(Start("vc-20", "HPS-CONC", "conv-20"), default));
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => stores[i % 2].CheckAsync(Check("vc-20", "conv-20", right: false), default))));
        Assert.Equal(2, results.Count(r => r.Status == CodeCheckStatus.Wrong)); // the 1st and 2nd wrong codes; the 3rd locks
        Assert.Equal(4, results.Count(r => r.Status == CodeCheckStatus.Locked));
        Assert.Equal(CodeCheckStatus.Locked, (await stores[1].CheckAsync(Check("vc-20", "conv-20", right: true), default)).Status);
    }

    private ChallengeStart Start(string id, string reference, string conversation, bool exists = true) =>
        new(id, reference, conversation, exists, Hash, _time.GetUtcNow(), _time.GetUtcNow().AddMinutes(10), Limits);

    private ChallengeCheck Check(string id, string conversation, bool right) =>
        new(id, conversation, c => right && c.CodeHash is not null && c.CodeHash.SequenceEqual(Hash), _time.GetUtcNow(), Limits);
}

public sealed class SqliteVerificationStoreContractTests() : VerificationStoreContractTests(StoreBackend.Sqlite());

[Collection(AzuriteCollection.Name)]
public sealed class AzureTablesVerificationStoreContractTests(AzuriteFixture azurite) : VerificationStoreContractTests(StoreBackend.Azure(azurite));
