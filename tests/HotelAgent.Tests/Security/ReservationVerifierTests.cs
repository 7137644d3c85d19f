using System.Text.RegularExpressions;
using HotelAgent.Core.Dialog;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Security;
using HotelAgent.Tests.Dialog;

namespace HotelAgent.Tests.Security;

/// <summary>The one-time-code service on its own: retries, expiry, locks, limits and what is stored.</summary>
public sealed partial class ReservationVerifierTests : DialogTestBase
{
    private const string Owner = "+5491166660001";

    [Fact]
    public async Task A_retried_start_returns_the_same_challenge_and_sends_no_second_code()
    {
        var booking = await ExistingBooking(Owner, new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 12));
        var request = new VerificationRequest(booking.Reference, Channel.WebChat, "webchat:retry-000001", "conv-a", "es", "msg-1:verify");

        var first = await Effects.Verifier.StartAsync(request, CancellationToken.None);
        var second = await Effects.Verifier.StartAsync(request, CancellationToken.None);

        Assert.Equal(first.Value!.ChallengeId, second.Value!.ChallengeId);
        Assert.Single(Effects.Outbox);
    }

    [Fact]
    public async Task A_verified_code_answers_the_same_on_a_retried_check_and_only_in_its_conversation()
    {
        var booking = await ExistingBooking(Owner, new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 12));
        var started = await Effects.Verifier.StartAsync(new VerificationRequest(booking.Reference, Channel.WebChat, "webchat:check-000001", "conv-a", "es", "k1"), CancellationToken.None);
        var code = CodePattern().Match(Effects.Outbox.Single().Reply.Text).Value;

        Assert.Equal(CodeCheckStatus.Wrong, (await Effects.Verifier.CheckAsync(new CodeCheckRequest(started.Value!.ChallengeId, "conv-b", code), CancellationToken.None)).Value!.Status);
        var ok = await Effects.Verifier.CheckAsync(new CodeCheckRequest(started.Value.ChallengeId, "conv-a", code), CancellationToken.None);
        var again = await Effects.Verifier.CheckAsync(new CodeCheckRequest(started.Value.ChallengeId, "conv-a", code), CancellationToken.None);

        Assert.Equal(CodeCheckStatus.Verified, ok.Value!.Status);
        Assert.Equal(booking.Reference, ok.Value.Reservation!.Reference);
        Assert.Equal(CodeCheckStatus.Verified, again.Value!.Status);
    }

    [Fact]
    public async Task The_lock_ends_after_its_time_and_a_new_code_works()
    {
        var booking = await ExistingBooking(Owner, new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 12));
        var first = await Effects.Verifier.StartAsync(new VerificationRequest(booking.Reference, Channel.WebChat, "webchat:lock-000001", "conv-a", "es", "k1"), CancellationToken.None);
        for (var i = 0; i < Effects.SecurityOptions.MaxCodeAttempts; i++)
        {
            await Effects.Verifier.CheckAsync(new CodeCheckRequest(first.Value!.ChallengeId, "conv-a", "99999" + i), CancellationToken.None);
        }

        var locked = await Effects.Verifier.StartAsync(new VerificationRequest(booking.Reference, Channel.WebChat, "webchat:lock-000001", "conv-a", "es", "k2"), CancellationToken.None);
        Assert.Single(Effects.Outbox);
        Assert.Equal(CodeCheckStatus.Locked, (await Effects.Verifier.CheckAsync(new CodeCheckRequest(locked.Value!.ChallengeId, "conv-a", "123456"), CancellationToken.None)).Value!.Status);

        Effects.Time.Advance(TimeSpan.FromMinutes(Effects.SecurityOptions.LockMinutes + 1));
        var fresh = await Effects.Verifier.StartAsync(new VerificationRequest(booking.Reference, Channel.WebChat, "webchat:lock-000001", "conv-a", "es", "k3"), CancellationToken.None);
        var code = CodePattern().Match(Effects.Outbox.Last().Reply.Text).Value;
        Assert.Equal(2, Effects.Outbox.Count);
        Assert.Equal(CodeCheckStatus.Verified, (await Effects.Verifier.CheckAsync(new CodeCheckRequest(fresh.Value!.ChallengeId, "conv-a", code), CancellationToken.None)).Value!.Status);
    }

    [Fact]
    public async Task A_cancelled_booking_gets_no_code_and_the_store_holds_no_code_in_clear()
    {
        var booking = await ExistingBooking(Owner, new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 12));
        var live = await ExistingBooking("+5491166660009", new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 12), roomType: "suite");
        await Effects.Pms.CancelReservationAsync(booking.Reference, "cancel-1");

        await Effects.Verifier.StartAsync(new VerificationRequest(booking.Reference, Channel.WebChat, "webchat:store-000001", "conv-a", "es", "k1"), CancellationToken.None);
        Assert.Empty(Effects.Outbox);

        await Effects.Verifier.StartAsync(new VerificationRequest(live.Reference, Channel.WebChat, "webchat:store-000001", "conv-a", "es", "k2"), CancellationToken.None);
        var code = CodePattern().Match(Effects.Outbox.Single().Reply.Text).Value;
        var path = Effects.VerificationStore.FilePath;
        var stored = string.Concat(Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*")
            .Select(f => System.Text.Encoding.Latin1.GetString(ReadShared(f))));
        Assert.Contains(live.Reference, stored, StringComparison.Ordinal); // the row is there...
        Assert.DoesNotContain(code, stored, StringComparison.Ordinal);      // ...its code is not
    }

    private static byte[] ReadShared(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex CodePattern();
}
