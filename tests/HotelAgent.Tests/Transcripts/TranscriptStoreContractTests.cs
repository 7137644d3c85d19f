using HotelAgent.Core.Dialog;
using HotelAgent.Core.Transcripts;
using HotelAgent.Tests.Fakes.Storage;
using HotelAgent.Tests.Fakes.Transcripts;
using Microsoft.Extensions.Time.Testing;

namespace HotelAgent.Tests.Transcripts;

/// <summary>The staff transcript store on SQLite and on Azure Tables: the same behaviour, and on Tables shared by two instances.</summary>
public abstract class TranscriptStoreContractTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly StoreBackend _backend;

    protected TranscriptStoreContractTests(StoreBackend backend)
    {
        _backend = backend;
        Store = NewInstance();
    }

    public void Dispose()
    {
        _backend.Dispose();
        GC.SuppressFinalize(this);
    }

    private ITranscriptStore Store { get; }

    /// <summary>Another store object on the same state: a second instance of the app.</summary>
    private ITranscriptStore NewInstance() => _backend.Transcripts(_time, new TranscriptOptions { RetentionDays = 7, MaxLinesPerConversation = 10 });

    private TranscriptEntry Turn(string id, string guestText, params string[] replies)
    {
        var now = _time.GetUtcNow();
        var lines = new List<TranscriptLine> { new(id, now.AddMilliseconds(-300), TranscriptSpeaker.Guest, guestText) };
        lines.AddRange(replies.Select((r, i) => new TranscriptLine($"{id}:{i}", now, TranscriptSpeaker.Bot, r)));
        return new TranscriptEntry(TranscriptStoreFile.Snapshot(now), lines);
    }

    [Fact]
    public async Task A_turn_reads_back_in_order_with_its_snapshot_and_a_recorded_again_turn_is_kept_once()
    {
        var state = DialogState.New with { Stage = DialogStage.OfferingRooms, Stay = new StaySlots { Guests = 2 } };
        var entry = Turn("wamid.1", "hola, tenés lugar para 2?", "¡Hola! ¿Para qué fechas?", "Tenemos doble y triple") with
        {
            Snapshot = TranscriptStoreFile.Snapshot(_time.GetUtcNow(), state),
        };

        var other = NewInstance();
        await Store.AppendAsync("conv-whatsapp-1", entry);
        await other.AppendAsync("conv-whatsapp-1", entry); // the activity ran twice, the second time on another instance
        _time.Advance(TimeSpan.FromMinutes(1));
        await Store.AppendAsync("conv-whatsapp-1", new TranscriptEntry(null, [new("staff:t1", _time.GetUtcNow(), TranscriptSpeaker.Staff, "Soy Carla") { Options = [] }]));

        var transcript = await other.GetAsync("conv-whatsapp-1");

        Assert.NotNull(transcript);
        Assert.Equal(
            [(TranscriptSpeaker.Guest, "hola, tenés lugar para 2?"), (TranscriptSpeaker.Bot, "¡Hola! ¿Para qué fechas?"), (TranscriptSpeaker.Bot, "Tenemos doble y triple"), (TranscriptSpeaker.Staff, "Soy Carla")],
            transcript.Lines.Select(l => (l.From, l.Text)).ToArray());
        Assert.Equal("OfferingRooms", transcript.Snapshot!.Dialog.Stage);
        Assert.Equal(2, transcript.Snapshot.Dialog.Guests);
        Assert.Equal("***0101", transcript.Snapshot.Guest);
        Assert.Null(await Store.GetAsync("conv-whatsapp-other"));
    }

    [Fact]
    public async Task Offered_options_are_kept_with_their_line()
    {
        await Store.AppendAsync("conv-webchat-1", new TranscriptEntry(null, [new("m:0", _time.GetUtcNow(), TranscriptSpeaker.Bot, "¿Cuál te reservo?") { Options = ["Doble", "Triple"] }]));

        var line = Assert.Single((await Store.GetAsync("conv-webchat-1"))!.Lines);

        Assert.Equal(["Doble", "Triple"], line.Options);
    }

    [Fact]
    public async Task Only_the_newest_lines_of_a_long_conversation_are_kept()
    {
        for (var i = 0; i < 8; i++)
        {
            await Store.AppendAsync("conv-whatsapp-long", Turn($"wamid.{i}", $"mensaje {i}", $"respuesta {i}"));
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        var lines = (await Store.GetAsync("conv-whatsapp-long"))!.Lines;

        Assert.Equal(10, lines.Count);
        Assert.Equal("mensaje 3", lines[0].Text);
        Assert.Equal("respuesta 7", lines[^1].Text);
    }

    [Fact]
    public async Task Lines_past_the_retention_are_never_shown_and_are_purged()
    {
        await Store.AppendAsync("conv-whatsapp-old", Turn("wamid.old", "mi DNI es 30111222", "Gracias"));
        _time.Advance(TimeSpan.FromDays(6));
        await Store.AppendAsync("conv-whatsapp-new", Turn("wamid.new", "hola", "¡Hola!"));

        Assert.NotNull(await Store.GetAsync("conv-whatsapp-old"));

        _time.Advance(TimeSpan.FromDays(1.5));

        // Past 7 days: gone from reads before any purge ran, then deleted from the file.
        Assert.Null(await Store.GetAsync("conv-whatsapp-old"));
        Assert.Empty(await Store.GetLastLinesAsync(["conv-whatsapp-old"]));
        Assert.Equal(2, await Store.PurgeExpiredAsync());
        Assert.Equal(0, await Store.PurgeExpiredAsync());
        Assert.Equal(2, (await Store.GetAsync("conv-whatsapp-new"))!.Lines.Count);
    }

    [Fact]
    public async Task A_write_an_hour_after_the_last_purge_purges_by_itself()
    {
        await Store.AppendAsync("conv-whatsapp-old", Turn("wamid.old", "hola", "¡Hola!"));
        _time.Advance(TimeSpan.FromDays(8));

        await Store.AppendAsync("conv-whatsapp-new", Turn("wamid.new", "hola", "¡Hola!"));

        // Nothing older than the retention is left in the file: a purge now has nothing to delete.
        Assert.Equal(0, await Store.PurgeExpiredAsync());
    }

    [Fact]
    public async Task The_last_line_of_each_listed_conversation_is_found_in_one_query()
    {
        await Store.AppendAsync("conv-whatsapp-a", Turn("wamid.a1", "hola", "¡Hola!", "¿En qué te ayudo?"));
        _time.Advance(TimeSpan.FromSeconds(30));
        await Store.AppendAsync("conv-whatsapp-b", Turn("wamid.b1", "quiero hablar con una persona"));

        var last = await Store.GetLastLinesAsync(["conv-whatsapp-a", "conv-whatsapp-b", "conv-whatsapp-none"]);

        Assert.Equal(2, last.Count);
        Assert.Equal((TranscriptSpeaker.Bot, "¿En qué te ayudo?"), (last["conv-whatsapp-a"].From, last["conv-whatsapp-a"].Text));
        Assert.Equal((TranscriptSpeaker.Guest, "quiero hablar con una persona"), (last["conv-whatsapp-b"].From, last["conv-whatsapp-b"].Text));
        Assert.Empty(await Store.GetLastLinesAsync([]));
    }
}

public sealed class SqliteTranscriptStoreTests() : TranscriptStoreContractTests(StoreBackend.Sqlite());

[Collection(AzuriteCollection.Name)]
public sealed class AzureTablesTranscriptStoreTests(AzuriteFixture azurite) : TranscriptStoreContractTests(StoreBackend.Azure(azurite));
