using Microsoft.Extensions.Time.Testing;
using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Tests.Channels.WhatsApp;

public class WhatsAppWebhookParserTests
{
    private static readonly DateTimeOffset SentAt = DateTimeOffset.FromUnixTimeSeconds(1763740800);

    private static InboundMessage Single(string fixture)
    {
        var batch = WhatsAppWebhookParser.Parse(Payloads.Read(fixture));
        Assert.Empty(batch.Ignored);
        Assert.Empty(batch.Statuses);
        return Assert.Single(batch.Messages);
    }

    [Fact]
    public void Text_message_is_normalized()
    {
        var message = Single("text.json");
        Assert.Equal(Channel.WhatsApp, message.Channel);
        Assert.Equal("+5491155551234", message.GuestId);
        Assert.Equal("Lucía Gómez", message.DisplayName);
        Assert.Equal("Hola, ¿tienen habitaciones para el sábado?", message.Text);
        Assert.Equal("wamid.HBgNNTQ5MTE1NTU1MTIzNBUCABIYFjNFQjBDMUE5RjA3QzQ5RjQ2MkJBAA==", message.ProviderMessageId);
        Assert.Equal(SentAt, message.Timestamp);
        Assert.Equal(InboundKind.Text, message.Kind);
        Assert.Equal("106540352242922", message.ChannelContext[WhatsAppContextKeys.PhoneNumberId]);
        Assert.Equal("text", message.ChannelContext[WhatsAppContextKeys.MessageType]);
    }

    [Fact]
    public void Interactive_button_reply_carries_id_and_title()
    {
        var message = Single("interactive_button_reply.json");
        Assert.Equal(InboundKind.Interactive, message.Kind);
        Assert.Equal("confirm-booking", message.ReplyId);
        Assert.Equal("Confirmar", message.Text);
        Assert.Equal("wamid.OUTBOUND1", message.ChannelContext[WhatsAppContextKeys.ContextMessageId]);
    }

    [Fact]
    public void Interactive_list_reply_carries_id_title_and_description()
    {
        var message = Single("interactive_list_reply.json");
        Assert.Equal(InboundKind.Interactive, message.Kind);
        Assert.Equal("room-deluxe-king", message.ReplyId);
        Assert.Equal("Deluxe King", message.Text);
        Assert.Equal("Cama king, vista al jardín", message.ChannelContext[WhatsAppContextKeys.ListReplyDescription]);
    }

    [Fact]
    public void Template_quick_reply_button_uses_payload_and_text()
    {
        var message = Single("template_button.json");
        Assert.Equal(InboundKind.Interactive, message.Kind);
        Assert.Equal("REENGAGE_YES", message.ReplyId);
        Assert.Equal("Sí, quiero reservar", message.Text);
        Assert.Equal("REENGAGE_YES", message.ChannelContext[WhatsAppContextKeys.ButtonPayload]);
        Assert.Equal("wamid.TEMPLATE1", message.ChannelContext[WhatsAppContextKeys.ContextMessageId]);
    }

    [Fact]
    public void Voice_note_is_audio_with_media_id_and_mime_type()
    {
        var message = Single("audio_voice.json");
        Assert.Equal(InboundKind.Audio, message.Kind);
        Assert.Equal("1003383421387256", message.MediaId);
        Assert.Equal(string.Empty, message.Text);
        Assert.Equal("audio/ogg; codecs=opus", message.ChannelContext[WhatsAppContextKeys.MimeType]);
        Assert.Equal("true", message.ChannelContext[WhatsAppContextKeys.Voice]);
        Assert.False(message.IsVoice); // set by the audio pipeline once transcribed
    }

    [Fact]
    public void Image_keeps_caption_as_text()
    {
        var message = Single("image.json");
        Assert.Equal(InboundKind.Image, message.Kind);
        Assert.Equal("Así llegó la reserva", message.Text);
        Assert.Equal("1479537139650973", message.MediaId);
        Assert.Equal("image/jpeg", message.ChannelContext[WhatsAppContextKeys.MimeType]);
    }

    [Fact]
    public void Document_keeps_caption_and_file_name()
    {
        var message = Single("document.json");
        Assert.Equal(InboundKind.Document, message.Kind);
        Assert.Equal("Comprobante de pago", message.Text);
        Assert.Equal("transferencia.pdf", message.ChannelContext[WhatsAppContextKeys.FileName]);
        Assert.Equal("application/pdf", message.ChannelContext[WhatsAppContextKeys.MimeType]);
    }

    [Fact]
    public void Location_goes_to_channel_context()
    {
        var message = Single("location.json");
        Assert.Equal(InboundKind.Location, message.Kind);
        Assert.Equal(string.Empty, message.Text);
        Assert.Equal(-34.5889, double.Parse(message.ChannelContext[WhatsAppContextKeys.Latitude], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(-58.43, double.Parse(message.ChannelContext[WhatsAppContextKeys.Longitude], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Plaza Serrano", message.ChannelContext[WhatsAppContextKeys.LocationName]);
        Assert.Equal("Jorge Luis Borges 1700, Palermo, Buenos Aires", message.ChannelContext[WhatsAppContextKeys.LocationAddress]);
    }

    [Fact]
    public void Shared_contact_is_contacts_kind_with_first_contact()
    {
        var message = Single("contacts.json");
        Assert.Equal(InboundKind.Contacts, message.Kind);
        Assert.Equal("Martín Pérez", message.ChannelContext[WhatsAppContextKeys.SharedContactName]);
        Assert.Equal("+5491144445555", message.ChannelContext[WhatsAppContextKeys.SharedContactPhone]);
        Assert.Equal("Lucía Gómez", message.DisplayName); // the sender, not the shared contact
    }

    [Fact]
    public void Sticker_has_media_and_empty_text()
    {
        var message = Single("sticker.json");
        Assert.Equal(InboundKind.Sticker, message.Kind);
        Assert.Equal(string.Empty, message.Text);
        Assert.Equal("1226234418730929", message.MediaId);
        Assert.Equal("image/webp", message.ChannelContext[WhatsAppContextKeys.MimeType]);
    }

    [Fact]
    public void Reaction_carries_emoji_and_target()
    {
        var message = Single("reaction.json");
        Assert.Equal(InboundKind.Reaction, message.Kind);
        Assert.Equal("👍", message.Text);
        Assert.Equal("wamid.OUTBOUND1", message.ChannelContext[WhatsAppContextKeys.ReactionMessageId]);
    }

    [Fact]
    public void Video_is_delivered_as_unsupported_kind_so_it_can_be_acknowledged()
    {
        var message = Single("video.json");
        Assert.Equal(InboundKind.Unsupported, message.Kind);
        Assert.Equal("video", message.ChannelContext[WhatsAppContextKeys.MessageType]);
        Assert.Equal("La vista desde el balcón", message.Text);
    }

    [Fact]
    public void Meta_unsupported_marker_is_ignored_with_reason()
    {
        var batch = WhatsAppWebhookParser.Parse(Payloads.Read("unsupported.json"));
        Assert.Empty(batch.Messages);
        var reason = Assert.Single(batch.Ignored);
        Assert.Contains("unsupported", reason, StringComparison.Ordinal);
        Assert.Contains("wamid.UNSUPPORTED1", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_types_are_ignored_without_losing_the_others()
    {
        var batch = WhatsAppWebhookParser.Parse(Payloads.Read("mixed_with_unknown.json"));
        Assert.Equal(["wamid.MIXED1", "wamid.MIXED4"], batch.Messages.Select(m => m.ProviderMessageId));
        Assert.Equal(2, batch.Ignored.Count);
        Assert.Contains(batch.Ignored, r => r.Contains("'order'", StringComparison.Ordinal));
        Assert.Contains(batch.Ignored, r => r.Contains("'system'", StringComparison.Ordinal));
        Assert.All(batch.Ignored, r => Assert.DoesNotContain("User changed number", r, StringComparison.Ordinal));
    }

    [Fact]
    public void Statuses_only_payload_has_no_messages()
    {
        var batch = WhatsAppWebhookParser.Parse(Payloads.Read("statuses_only.json"));
        Assert.Empty(batch.Messages);
        Assert.Empty(batch.Ignored);
        Assert.Equal(["sent", "delivered", "read"], batch.Statuses.Select(s => s.Status));
        Assert.All(batch.Statuses, s =>
        {
            Assert.Equal("wamid.OUT1", s.MessageId);
            Assert.Equal("+5491155551234", s.RecipientId);
            Assert.False(s.IsFailed);
            Assert.Empty(s.Errors);
            Assert.Equal("wamid.IN1:0", s.CallbackData);
            Assert.True(s.ProvesSent);
        });
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1763740810), batch.Statuses[2].Timestamp);
    }

    [Fact]
    public void Failed_status_carries_errors()
    {
        var batch = WhatsAppWebhookParser.Parse(Payloads.Read("status_failed.json"));
        var status = Assert.Single(batch.Statuses);
        Assert.True(status.IsFailed);
        Assert.False(status.ProvesSent);
        Assert.Null(status.CallbackData);
        var error = Assert.Single(status.Errors);
        Assert.Equal(131047, error.Code);
        Assert.Equal("Re-engagement message", error.Title);
        Assert.Contains("24 hours", error.Details, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json at all")]
    [InlineData("{\"object\": \"whatsapp_business_account\", \"entry\": [")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"entry\": []}")]
    public void Malformed_or_foreign_body_throws_payload_exception(string body) =>
        Assert.Throws<WhatsAppPayloadException>(() => WhatsAppWebhookParser.Parse(body));

    [Fact]
    public void Other_object_type_throws_with_reason()
    {
        var ex = Assert.Throws<WhatsAppPayloadException>(() => WhatsAppWebhookParser.Parse(Payloads.Read("not_whatsapp.json")));
        Assert.Contains("whatsapp_business_account", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Odd_shapes_inside_a_valid_envelope_are_ignored_not_thrown()
    {
        const string body = """
            {"object":"whatsapp_business_account","entry":[
              {"id":"1"},
              {"id":"2","changes":[{"field":"account_update","value":{"event":"VERIFIED_ACCOUNT"}}]},
              {"id":"3","changes":[{"field":"messages","value":{"messages":[
                 {"from":"5491155551234","type":"text","text":{"body":"sin id"}},
                 {"from":"not-a-phone","id":"wamid.X","type":"text","text":{"body":"hola"}},
                 {"from":"5491155551234","id":"wamid.OK","type":"text","text":"not-an-object"},
                 {"from":"5491155551234","id":"wamid.INT","type":"interactive","interactive":{"type":"nfm_reply","nfm_reply":{}}}
              ]}}]}
            ]}
            """;
        var batch = WhatsAppWebhookParser.Parse(body);
        var ok = Assert.Single(batch.Messages);
        Assert.Equal("wamid.OK", ok.ProviderMessageId);
        Assert.Equal(string.Empty, ok.Text);
        Assert.Null(ok.DisplayName);
        Assert.Equal(5, batch.Ignored.Count);
    }

    [Fact]
    public void Missing_timestamp_falls_back_to_now()
    {
        var now = new DateTimeOffset(2026, 11, 21, 22, 0, 0, TimeSpan.Zero);
        const string body = """
            {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
              "messages":[{"from":"5491155551234","id":"wamid.NOTS","type":"text","text":{"body":"hola"}}]}}]}]}
            """;
        var message = Assert.Single(WhatsAppWebhookParser.Parse(body, new FakeTimeProvider(now)).Messages);
        Assert.Equal(now, message.Timestamp);
    }

    [Theory]
    [InlineData("6572079996313141848")]
    [InlineData("\"-9223372036854775808\"")]
    public void Timestamp_outside_the_calendar_falls_back_to_now_and_keeps_the_message_and_status(string timestamp)
    {
        // Found by WebhookFuzzReliabilityTests (shrunk counterexample): FromUnixTimeSeconds threw instead of a 400 or a kept message.
        var now = new DateTimeOffset(2026, 11, 21, 22, 0, 0, TimeSpan.Zero);
        var body = $$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
              "messages":[{"from":"5491155551234","id":"wamid.FARFUTURE","timestamp":{{{timestamp}}},"type":"text","text":{"body":"hola"}}],
              "statuses":[{"id":"wamid.OUT1","status":"read","timestamp":{{{timestamp}}},"recipient_id":"5491155551234"}]}}]}]}
            """;
        var batch = WhatsAppWebhookParser.Parse(body, new FakeTimeProvider(now));
        Assert.Equal(now, Assert.Single(batch.Messages).Timestamp);
        Assert.Equal(now, Assert.Single(batch.Statuses).Timestamp);
    }
}
