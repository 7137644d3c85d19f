using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;

namespace HotelAgent.Tests.Conversation;

/// <summary>A stopped and restarted standalone host keeps conversations and never answers a message twice.</summary>
public sealed class RestartEndToEndTests
{
    [Fact]
    public async Task Conversation_continues_after_a_restart_and_a_redelivery_gets_no_second_reply()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "hotelagent-restart-" + Guid.NewGuid().ToString("N"));
        var settings = ConversationEndToEndTests.Settings(graph);
        var stay = ConversationEndToEndTests.FutureStay();
        const string quoteWamid = "wamid.QUOTE-BEFORE-RESTART";
        try
        {
            await using (var first = await StandaloneHost.StartAsync(settings, dataDirectory))
            {
                var guest = new GuestSimulator(first, graph, "5491155550201");
                var quote = string.Join('\n', await guest.SayAsync($"hola, tienen lugar para 2 {stay.Spanish}?", quoteWamid));
                Assert.Contains("Habitación Doble", quote, StringComparison.Ordinal);
            }

            await using var second = await StandaloneHost.StartAsync(settings, dataDirectory);
            var again = new GuestSimulator(second, graph, "5491155550201");
            var sentBefore = again.Received().Count;

            // Meta retries for days: the same wamid after the restart must not be answered again. The next turn is the
            // signal: everything the guest gets from here on answers it.
            await again.RedeliverAsync($"hola, tienen lugar para 2 {stay.Spanish}?", quoteWamid);

            // The dialog state survived: choosing a room goes straight to the guest's name.
            const string nextWamid = "wamid.CHOICE-AFTER-RESTART";
            var next = string.Join('\n', await again.SayAsync("la doble", nextWamid));
            Assert.Contains("nombre", next, StringComparison.OrdinalIgnoreCase);
            Assert.All(again.Received().Skip(sentBefore), m => Assert.StartsWith(nextWamid + ":", m.CallbackData, StringComparison.Ordinal));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
