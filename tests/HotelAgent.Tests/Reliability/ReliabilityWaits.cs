using HotelAgent.Tests.Fakes.Channels;

namespace HotelAgent.Tests.Reliability;

internal static class ReliabilityWaits
{
    /// <summary>Waits until the fake Graph API has seen at least <paramref name="atLeast"/> sends and then stays quiet.</summary>
    public static async Task QuietAsync(FakeGraphApi graph, int atLeast, TimeSpan quiet, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var count = graph.SentMessages.Count;
        var since = DateTime.UtcNow;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            var now = graph.SentMessages.Count;
            if (now != count)
            {
                count = now;
                since = DateTime.UtcNow;
            }
            else if (count >= atLeast && DateTime.UtcNow - since > quiet)
            {
                return;
            }
        }
    }
}
