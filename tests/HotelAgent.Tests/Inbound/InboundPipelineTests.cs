using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using HotelAgent.Core.Analytics;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Conversation;
using HotelAgent.Core.Inbound;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Observability;
using HotelAgent.Tests.Fakes.Analytics;
using HotelAgent.Tests.Fakes.Audio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Inbound;

public sealed class InboundPipelineTests : IDisposable
{
    private readonly string _db = Path.Combine(Path.GetTempPath(), "ha-inbound-" + Guid.NewGuid().ToString("N") + ".db");
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly RecordingGateway _gateway = new();
    private readonly FakeChannelSender _email = new(Channel.Email);
    private readonly FakeInteractionLog _interactions = new();

    public void Dispose()
    {
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_db);
    }

    private InboundPipeline Pipeline(int burst = 8, IConversationGateway? gateway = null, IVoiceNoteIntake? voice = null) => new(
        new SqliteProcessedMessageStore(new ChannelsDatabase(_db), TimeProvider.System),
        new GuestRateLimiter(Options.Create(new RateLimitOptions { Burst = burst, PerMinute = 1 }), TimeProvider.System),
        gateway ?? _gateway,
        [_email],
        voice is null ? [] : [voice],
        new InteractionRecorder(_interactions, new HotelAgentMetrics(_services.GetRequiredService<IMeterFactory>()), NullLogger<InteractionRecorder>.Instance),
        TimeProvider.System,
        NullLogger<InboundPipeline>.Instance);

    private static InboundMessage Email(string id, string text = "Hola") =>
        new(Channel.Email, "lucia@example.com", "Lucía", text, id, DateTimeOffset.UtcNow);

    [Fact]
    public async Task The_same_provider_id_delivered_concurrently_and_after_a_restart_reaches_the_conversation_once()
    {
        var pipeline = Pipeline();
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() => pipeline.AcceptAsync(Email("gmail-1"), CancellationToken.None))));
        await Pipeline().AcceptAsync(Email("gmail-1"), CancellationToken.None);

        Assert.Single(_gateway.Delivered);
        var duplicates = _interactions.Records.Where(r => r.Outcome == InteractionOutcomes.Duplicate).ToList();
        Assert.Equal(5, duplicates.Count); // counted for `hotel-agent stats` (no body, hashed conversation id)
        Assert.All(duplicates, r => Assert.Equal(Email("x").ConversationId, r.ConversationId));
    }

    [Fact]
    public async Task A_flood_gets_one_polite_notice_then_silence()
    {
        var pipeline = Pipeline(burst: 2);
        for (var i = 0; i < 6; i++)
        {
            await pipeline.AcceptAsync(Email("flood-" + i), CancellationToken.None);
        }

        Assert.Equal(2, _gateway.Delivered.Count);
        var notice = Assert.Single(_email.Sent);
        Assert.Equal(InboundPipeline.RateLimitNotice, notice.Reply.Text);
        Assert.Equal(4, _interactions.Records.Count(r => r.Outcome == InteractionOutcomes.RateLimited));
    }

    [Fact]
    public async Task A_failed_delivery_forgets_the_id_so_the_providers_retry_is_processed()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Pipeline(gateway: new RecordingGateway { Fail = true }).AcceptAsync(Email("retry-1"), CancellationToken.None));

        await Pipeline().AcceptAsync(Email("retry-1"), CancellationToken.None);

        Assert.Equal("retry-1", Assert.Single(_gateway.Delivered).ProviderMessageId);
    }

    [Fact]
    public async Task Voice_notes_go_to_transcription_and_their_transcript_enters_the_conversation_once()
    {
        var voice = new RecordingVoiceIntake();
        var pipeline = Pipeline(voice: voice);
        var note = new InboundMessage(Channel.WhatsApp, "+5491155551234", "Lucía", string.Empty, "wamid.VOICE", DateTimeOffset.UtcNow) { Kind = InboundKind.Audio, MediaId = "media-1" };

        await pipeline.AcceptAsync(note, CancellationToken.None);
        var transcript = note with { Text = "hola, tienen lugar?", IsVoice = true };
        await pipeline.AcceptAsync(transcript, CancellationToken.None);
        await pipeline.AcceptAsync(transcript, CancellationToken.None);

        Assert.Equal("wamid.VOICE", Assert.Single(voice.Queued).ProviderMessageId);
        Assert.True(Assert.Single(_gateway.Delivered).IsVoice);
    }

    private sealed class RecordingGateway : IConversationGateway
    {
        public ConcurrentQueue<InboundMessage> Queue { get; } = new();

        public IReadOnlyList<InboundMessage> Delivered => [.. Queue];

        public bool Fail { get; init; }

        public Task DeliverAsync(InboundMessage message, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new InvalidOperationException("orchestration store down");
            }

            Queue.Enqueue(message);
            return Task.CompletedTask;
        }
    }

    private sealed class RecordingVoiceIntake : IVoiceNoteIntake
    {
        public ConcurrentQueue<InboundMessage> Queued { get; } = new();

        public Task EnqueueTranscriptionAsync(InboundMessage voiceNote, CancellationToken cancellationToken)
        {
            Queued.Enqueue(voiceNote);
            return Task.CompletedTask;
        }
    }
}
