using System.Text.Json;
using HotelAgent.Core.Audio;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Tests.Audio;

public sealed class AudioJobJsonTests
{
    [Fact]
    public void Transcription_job_round_trips_with_camel_case_and_enum_names()
    {
        var job = TranscriptionJobHandlerTests.Job();

        var json = AudioJobJson.Serialize(job);
        var back = AudioJobJson.DeserializeTranscription(json);

        Assert.Contains("\"channel\":\"WhatsApp\"", json, StringComparison.Ordinal);
        Assert.Contains("\"providerMessageId\":\"wamid.HBgM123\"", json, StringComparison.Ordinal);
        Assert.Equal(job.MediaId, back.MediaId);
        Assert.Equal(job.Timestamp, back.Timestamp);
        Assert.Equal("1098", back.ChannelContext["phoneNumberId"]);
    }

    [Fact]
    public void Double_encoded_message_text_is_accepted()
    {
        var job = new SynthesisJob { Channel = Channel.WhatsApp, GuestId = "+1", Text = "Hola \"amigo\"", IdempotencyKey = "k" };
        var doubleEncoded = JsonSerializer.Serialize(AudioJobJson.Serialize(job));

        var back = AudioJobJson.DeserializeSynthesis(doubleEncoded);

        Assert.Equal(job, back);
        Assert.Equal("es", back.Language);
    }

    [Fact]
    public void Job_missing_required_fields_is_rejected()
    {
        Assert.Throws<JsonException>(() => AudioJobJson.DeserializeSynthesis("{\"text\":\"hola\"}"));
        Assert.Throws<JsonException>(() => AudioJobJson.DeserializeTranscription("not json"));
    }

    [Fact]
    public void Job_from_an_inbound_audio_message_keeps_ids_and_context()
    {
        var inbound = new InboundMessage(Channel.WhatsApp, "+5491155550123", "Lucía", string.Empty, "wamid.X", DateTimeOffset.UnixEpoch)
        {
            Kind = InboundKind.Audio,
            MediaId = "m-1",
        };

        var job = TranscriptionJob.FromInbound(inbound);

        Assert.Equal("m-1", job.MediaId);
        Assert.Equal("wamid.X", job.ProviderMessageId);
        Assert.Equal(inbound.ConversationId, job.ConversationId);
        Assert.Throws<ArgumentException>(() => TranscriptionJob.FromInbound(inbound with { MediaId = null }));
    }
}
