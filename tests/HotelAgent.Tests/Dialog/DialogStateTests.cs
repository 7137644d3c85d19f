using System.Text.Json;
using HotelAgent.Core.Dialog;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes.Dialog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Tests.Dialog;

public sealed class DialogStateTests : DialogTestBase
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Replaying_a_conversation_with_recorded_effects_gives_identical_outcomes()
    {
        // Durable Functions replays the orchestrator with the recorded activity results: the dialog must produce the same outcome.
        string[] script = ["hola", "quiero reservar del 10 al 12 de diciembre para 2 personas", "la doble", "sí", "prefiero no", "sí", "tienen spa?"];
        var recorder = new ReplayingDialogEffects(Effects);
        var live = new DialogConversation(Dialog, recorder, Channel.WhatsApp, Phone, "Juan Pérez", Today);
        var liveJson = new List<string>();
        foreach (var line in script)
        {
            liveJson.Add(JsonSerializer.Serialize(await live.Say(line), Web));
        }

        var replayer = recorder.ForReplay();
        var replay = new DialogConversation(new Core.Dialog.ReceptionistDialog(Profile), replayer, Channel.WhatsApp, Phone, "Juan Pérez", Today);
        var replayJson = new List<string>();
        foreach (var line in script)
        {
            replayJson.Add(JsonSerializer.Serialize(await replay.Say(line), Web));
        }

        Assert.Equal(liveJson, replayJson);
        Assert.Contains(live.Events, e => e.Kind == DialogEventKind.Booked);
    }

    [Fact]
    public async Task State_round_trips_through_json_mid_flow()
    {
        var g = Guest();
        await g.Say("quiero reservar del 10 al 12 de diciembre para 2 personas");
        await g.Say("la doble");

        var json = JsonSerializer.Serialize(g.State, Web);
        var back = JsonSerializer.Deserialize<DialogState>(json, Web)!;

        Assert.Equal(json, JsonSerializer.Serialize(back, Web));
        Assert.Contains("\"stage\":\"CollectingGuestDetails\"", json, StringComparison.Ordinal);
        Assert.Equal("doble", back.Selected?.RoomType);
        Assert.Equal(g.State.Offers.Count, back.Offers.Count);
    }

    [Fact]
    public async Task Status_view_shows_stage_slots_and_first_name_only()
    {
        var g = Guest(displayName: "Juan Pérez");
        await g.Say("quiero reservar del 10 al 12 de diciembre para 2 personas");
        await g.Say("la doble");
        await g.Say("sí");
        await g.Say("juan@example.com");

        var view = DialogStatusView.FromState(g.State);
        var json = JsonSerializer.Serialize(view, Web);

        Assert.Equal("ConfirmingBooking", view.Stage);
        Assert.Equal("Juan", view.GuestFirstName);
        Assert.Equal("doble", view.RoomType);
        Assert.Equal(new DateOnly(2026, 12, 10), view.CheckIn);
        Assert.False(view.HandedOff);
        Assert.DoesNotContain("Pérez", json, StringComparison.Ordinal);
        Assert.DoesNotContain("example.com", json, StringComparison.Ordinal);
        Assert.DoesNotContain("5491155551234", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_for_idle_starts_fresh_but_still_finds_bookings_by_contact()
    {
        var g = Guest();
        await g.Say("quiero reservar del 10 al 12 de diciembre para 2 personas");
        await g.Say("la doble");
        await g.Say("sí");
        await g.Say("prefiero no");
        await g.Say("sí");
        var reference = Assert.Single(g.Events, e => e.Kind == DialogEventKind.Booked).Reference!;
        await g.Say("quiero reservar del 20 al 22 de diciembre");

        g.State = g.State.ResetForIdle();

        Assert.Equal(DialogStage.Idle, g.State.Stage);
        Assert.Null(g.State.Stay.CheckIn);
        Assert.Equal("Juan Pérez", g.State.GuestName);
        await g.Say("cual es mi reserva");
        Assert.Contains(reference, g.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Reset_for_idle_keeps_a_handoff_until_release()
    {
        var state = DialogState.New with { Stage = DialogStage.HandedOff, HandedOff = true, HandoffReason = "requested" };

        var reset = state.ResetForIdle();

        Assert.True(reset.HandedOff);
        Assert.False(reset.Release().HandedOff);
    }

    [Fact]
    public void Registration_resolves_the_dialog_with_bound_options()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dialog:MaxConsecutiveFallbacks"] = "4",
            ["Dialog:FlowExpiryMinutes"] = "45",
            ["Dialog:LongStayNights"] = "21",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddHotelAgentDialog(config);
        using var sp = services.BuildServiceProvider();

        Assert.NotNull(sp.GetRequiredService<ReceptionistDialog>());
        var options = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DialogOptions>>().Value;
        Assert.Equal((4, 45, 21), (options.MaxConsecutiveFallbacks, options.FlowExpiryMinutes, options.LongStayNights));
    }

    [Fact]
    public void Text_helpers_read_bare_numbers_and_similarity()
    {
        Assert.Equal(3, DialogText.BareNumber(DialogText.Normalize("somos 3")));
        Assert.Equal(2, DialogText.BareNumber(DialogText.Normalize("la 2")));
        Assert.Equal(4, DialogText.BareNumber(DialogText.Normalize("cuatro personas")));
        Assert.Null(DialogText.BareNumber(DialogText.Normalize("del 10 al 12")));
        Assert.Equal("necesito saber si tienen lugar", DialogText.Normalize("¡Necesito saber si tienen lugar!!"));
        Assert.True(DialogText.Similarity("hay lugar el finde", "hay lugar el finde largo") >= 0.8);
        Assert.Equal("ana@example.com", DialogText.FindEmail("mi mail es Ana@Example.com."));
    }

    [Fact]
    public async Task Options_fit_whatsapp_interactive_limits()
    {
        await ExistingBooking(Phone, new DateOnly(2027, 1, 5), new DateOnly(2027, 1, 7), "suite");
        await ExistingBooking(Phone, new DateOnly(2027, 2, 5), new DateOnly(2027, 2, 7), "ejecutiva");
        Effects.Scripted["tema raro"] = Nlu("ask_location", 0.5, ("ask_location", 0.5), ("ask_policies", 0.3), ("ask_room_types", 0.2));
        var g = Guest();
        await g.Say("quiero reservar del 10 al 12 de diciembre para 1 persona");
        await g.Say("la 1");
        await g.Say("sí");
        await g.Say("prefiero no");
        await g.Say("no");
        await g.Say("tema raro");
        await g.Say("quiero cancelar mi reserva");

        var options = g.AllReplies.SelectMany(r => r.Options).ToList();
        Assert.True(options.Count > 10);
        Assert.All(g.AllReplies, r => Assert.True(r.Options.Count <= 10));
        Assert.All(options, o => Assert.InRange(o.Title.Length, 1, 20));
        Assert.All(options, o => Assert.InRange(o.Id.Length, 1, 200));
        Assert.All(options, o => Assert.True((o.Description?.Length ?? 0) <= 72));
    }

    [Fact]
    public async Task Reactions_get_no_answer_and_other_media_a_polite_one()
    {
        var reaction = await Dialog.HandleAsync(DialogState.New, new GuestTurn(
            new InboundMessage(Channel.WhatsApp, Phone, null, string.Empty, "wamid.r", DateTimeOffset.UnixEpoch) { Kind = InboundKind.Reaction }, Today, "r"), Effects);
        var image = await Dialog.HandleAsync(DialogState.New, new GuestTurn(
            new InboundMessage(Channel.WhatsApp, Phone, null, string.Empty, "wamid.i", DateTimeOffset.UnixEpoch) { Kind = InboundKind.Image }, Today, "i"), Effects);

        Assert.Empty(reaction.Replies);
        Assert.Contains("texto", Assert.Single(image.Replies).Text, StringComparison.Ordinal);
        Assert.Empty(Effects.Calls);
        Assert.Equal(DialogState.New, DialogJson.Deserialize(null));
        Assert.Equal(DialogStage.Idle, DialogJson.Deserialize(DialogJson.Serialize(DialogState.New)).Stage);
    }
}
