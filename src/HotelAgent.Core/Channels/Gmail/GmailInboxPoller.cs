using HotelAgent.Core.Channels.Gmail.Mime;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Channels.Gmail;

/// <summary>
/// One poll of the hotel inbox (run by the timer-triggered function and <c>POST /api/webhooks/gmail</c>):
/// list unread messages matching <see cref="GmailOptions.Query"/>, download each (format=raw), parse it, hand
/// guest messages to <see cref="IInboundMessageSink"/> and only then mark them processed (remove UNREAD, add
/// <see cref="GmailOptions.ProcessedLabel"/>). Failures leave messages unread so the next tick retries.
/// </summary>
public sealed class GmailInboxPoller
{
    private static readonly string[] AutomatedLocalParts =
        ["mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply", "do-not-reply", "bounce", "bounces"];

    private readonly GmailApiClient _api;
    private readonly IInboundMessageSink _sink;
    private readonly IOptionsMonitor<GmailOptions> _options;
    private readonly ILogger<GmailInboxPoller> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public GmailInboxPoller(GmailApiClient api, IInboundMessageSink sink, IOptionsMonitor<GmailOptions> options, ILogger<GmailInboxPoller> logger)
    {
        _api = api;
        _sink = sink;
        _options = options;
        _logger = logger;
    }

    /// <summary>The Gmail search actually sent: the configured query minus already-processed messages.</summary>
    public static string EffectiveQuery(GmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return $"{options.Query} -label:{LabelSearchName(options.ProcessedLabel)}";
    }

    /// <summary>Gmail search spells nested labels lower-case with "/" and spaces as "-".</summary>
    public static string LabelSearchName(string label) =>
        label.Trim().ToLowerInvariant().Replace('/', '-').Replace(' ', '-');

    public async Task<GmailPollResult> PollOnceAsync(CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        if (!options.Enabled)
        {
            Log.Disabled(_logger);
            return GmailPollResult.Disabled;
        }

        // Overlapping ticks (timer + on-demand webhook) would race on the same messages: one poll at a time.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await PollCoreAsync(options, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<GmailPollResult> PollCoreAsync(GmailOptions options, CancellationToken cancellationToken)
    {
        string labelId;
        IReadOnlyList<GmailMessageRef> refs;
        try
        {
            labelId = await _api.EnsureLabelAsync(options.ProcessedLabel, cancellationToken);
            refs = await _api.ListMessagesAsync(EffectiveQuery(options), options.MaxMessagesPerPoll, cancellationToken);
        }
        catch (GmailApiException ex)
        {
            Log.PollFailed(_logger, ex.Kind, ex.StatusCode, ex.Reason);
            return new GmailPollResult(0, 0, 0, 0, Describe(ex)) { ErrorKind = ex.Kind };
        }

        int fetched = 0, accepted = 0, skipped = 0, failed = 0;
        GmailApiException? batchError = null;
        // Gmail lists newest first; a guest's messages must reach the conversation in the order they were written.
        foreach (var messageRef in refs.Take(options.MaxMessagesPerPoll).Reverse())
        {
            var sender = "(unknown)";
            try
            {
                var raw = await _api.GetRawMessageAsync(messageRef.Id, cancellationToken);
                fetched++;
                var email = MimeMessageParser.Parse(raw.Raw);
                sender = PiiMask.Contact(GuestAddress(email)?.Address);

                var skipReason = SkipReason(email, raw, options);
                if (skipReason is not null)
                {
                    // Labelled so it is not fetched again, but left unread for the staff to see.
                    await _api.ModifyMessageAsync(raw.Id, [labelId], [], cancellationToken);
                    skipped++;
                    Log.MessageSkipped(_logger, raw.Id, sender, skipReason);
                    continue;
                }

                var inbound = ToInbound(email, raw, options);
                await _sink.AcceptAsync(inbound, cancellationToken);
                accepted++;
                Log.MessageAccepted(_logger, raw.Id, sender);

                try
                {
                    await _api.ModifyMessageAsync(raw.Id, [labelId], ["UNREAD"], cancellationToken);
                }
                catch (GmailApiException ex)
                {
                    Log.MarkFailed(_logger, raw.Id, Describe(ex));
                    if (ex.Kind is GmailErrorKind.Other or GmailErrorKind.NotFound)
                    {
                        _api.ForgetLabels(); // the label may have been deleted in Gmail: look it up again next tick
                    }
                }
            }
            catch (GmailApiException ex) when (ex.Kind is GmailErrorKind.Auth or GmailErrorKind.Quota)
            {
                failed++;
                batchError = ex;
                Log.MessageFailed(_logger, messageRef.Id, sender, Describe(ex));
                break; // the rest would fail the same way: back off until the next tick
            }
            catch (GmailApiException ex)
            {
                failed++;
                Log.MessageFailed(_logger, messageRef.Id, sender, Describe(ex));
                if (ex.Kind is GmailErrorKind.Other)
                {
                    _api.ForgetLabels();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // a failing sink or a malformed message must not stop the batch
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failed++;
                Log.MessageFailed(_logger, messageRef.Id, sender, "handler error: " + ex.GetType().Name);
            }
        }

        if (batchError is not null)
        {
            Log.PollFailed(_logger, batchError.Kind, batchError.StatusCode, batchError.Reason);
        }

        Log.PollCompleted(_logger, fetched, accepted, skipped, failed);
        return new GmailPollResult(fetched, accepted, skipped, failed, batchError is null ? null : Describe(batchError))
        {
            ErrorKind = batchError?.Kind,
        };
    }

    /// <summary>Why a message must not be answered (own mail, auto-replies, bounces, bulk), or null for guest mail.</summary>
    internal static string? SkipReason(ParsedEmail email, GmailRawMessage raw, GmailOptions options)
    {
        if (email.From is null)
        {
            return "no sender address";
        }

        if (string.Equals(email.From.Address, EmailAddress.Normalize(options.UserEmail), StringComparison.Ordinal)
            || raw.LabelIds.Contains("SENT") || raw.LabelIds.Contains("DRAFT"))
        {
            return "own message";
        }

        // Web contact forms send from noreply@ with the guest in Reply-To: the guest is the Reply-To address.
        var local = GuestAddress(email)!.Address.Split('@')[0];
        if (AutomatedLocalParts.Contains(local, StringComparer.Ordinal))
        {
            return "automated sender";
        }

        var autoSubmitted = email.GetHeader("Auto-Submitted");
        if (!string.IsNullOrWhiteSpace(autoSubmitted) && !autoSubmitted.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            return "auto-submitted";
        }

        if (!string.IsNullOrWhiteSpace(email.GetHeader("X-Autoreply")) || !string.IsNullOrWhiteSpace(email.GetHeader("X-Autorespond")))
        {
            return "auto-reply";
        }

        var precedence = email.GetHeader("Precedence")?.Trim().ToLowerInvariant();
        if (precedence is "bulk" or "junk" or "list" or "auto_reply")
        {
            return "bulk precedence";
        }

        if (email.GetHeader("List-Id") is not null || email.GetHeader("List-Unsubscribe") is not null)
        {
            return "mailing list";
        }

        if (email.Root.ContentType == "multipart/report")
        {
            return "delivery report";
        }

        return null;
    }

    internal static InboundMessage ToInbound(ParsedEmail email, GmailRawMessage raw, GmailOptions options)
    {
        var text = email.CleanText;
        if (string.IsNullOrWhiteSpace(text))
        {
            text = email.Subject;
        }

        if (text.Length > options.MaxBodyChars)
        {
            text = text[..options.MaxBodyChars];
        }

        var context = new Dictionary<string, string>
        {
            [GmailContextKeys.ThreadId] = raw.ThreadId,
            [GmailContextKeys.Subject] = email.Subject,
        };
        if (email.MessageId is not null)
        {
            context[GmailContextKeys.MessageId] = email.MessageId;
        }

        if (email.References is not null)
        {
            context[GmailContextKeys.References] = email.References;
        }

        var guest = GuestAddress(email)!;
        return new InboundMessage(Channel.Email, guest.Address, guest.DisplayName ?? email.From?.DisplayName, text, raw.Id, raw.InternalDate)
        {
            Kind = string.IsNullOrWhiteSpace(text) && email.Attachments.Count > 0 ? InboundKind.Document : InboundKind.Text,
            ChannelContext = context,
        };
    }

    /// <summary>Who to answer: the Reply-To mailbox when present (contact forms, assistants), else From.</summary>
    internal static EmailAddress? GuestAddress(ParsedEmail email) =>
        EmailAddress.Parse(email.GetHeader("Reply-To")) ?? email.From;

    private static string Describe(GmailApiException ex) =>
        $"{ex.Kind.ToString().ToLowerInvariant()}: {ex.Reason}{(ex.StatusCode is int s ? $" (HTTP {s})" : string.Empty)}";
}
