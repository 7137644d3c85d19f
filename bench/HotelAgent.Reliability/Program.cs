using System.Globalization;
using HotelAgent.Tests.Reliability;

// Kill -9 reliability run: `dotnet run -c Release --project bench/HotelAgent.Reliability -- [conversations] [seed]`.
// SIGKILLs the standalone host (child process) at seeded random points, including while a webhook is being
// acknowledged or a reply is in flight; restarts it on the same data directory and redelivers as Meta would.
var conversations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20261121;
var started = DateTime.UtcNow;
var result = await KillNineScenario.RunAsync(conversations, seed, killProbability: 0.15, inFlightKills: true, progress: Console.WriteLine);
Console.WriteLine();
Console.WriteLine($"conversations:      {result.Conversations} (1 control + {conversations})");
Console.WriteLine($"kills (SIGKILL):    {result.Kills}, restarts: {result.Restarts}");
Console.WriteLine($"lost conversations: {result.Lost}");
Console.WriteLine($"duplicate bookings: {result.DuplicateBookings}");
Console.WriteLine($"duplicate replies:  {result.DuplicateReplies}");
Console.WriteLine($"status webhooks:    {result.StatusWebhooks} acknowledged");
Console.WriteLine($"elapsed:            {(DateTime.UtcNow - started).TotalSeconds:F0} s");
foreach (var failure in result.Failures)
{
    Console.WriteLine("FAIL " + failure);
}

return result.Failures.Count == 0 ? 0 : 1;
