using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Text.Json.Nodes;
using HotelAgent.Cli.Commands;
using HotelAgent.Tests.Infra;

namespace HotelAgent.Tests.Cli;

/// <summary>
/// Runs the real <c>hotel-agent publish</c> (<c>dotnet publish</c> of the isolated worker) and checks the build's own
/// contract with the Functions host: <c>functions.metadata</c> (every function, trigger, route, queue, schedule
/// setting), <c>extensions.json</c> (DurableTask, AzureStorageQueues), host.json's task hub, ReadyToRun code, the start-up runtime settings, and the zip.
/// </summary>
public sealed class PublishCommandTests
{
    private static readonly (string Name, string Trigger, string? Detail)[] Expected =
    [
        ("WhatsAppWebhook", "httpTrigger", "webhooks/whatsapp"),
        ("EmailWebhook", "httpTrigger", "webhooks/email"),
        ("HealthLive", "httpTrigger", "health/live"),
        ("HealthReady", "httpTrigger", "health/ready"),
        ("StaffAvailability", "httpTrigger", "staff/availability"),
        ("StaffReservations", "httpTrigger", "staff/reservations"),
        ("StaffConversations", "httpTrigger", "staff/conversations"),
        ("StaffConversation", "httpTrigger", "staff/conversations/{id}"),
        ("StaffConversationRelease", "httpTrigger", "staff/conversations/{id}/release"),
        ("StaffConversationReply", "httpTrigger", "staff/conversations/{id}/reply"),
        ("StaffStats", "httpTrigger", "staff/stats"),
        ("EmailPoll", "timerTrigger", "%Email__PollSchedule%"),
        ("TranscribeAudio", "queueTrigger", "audio-transcribe"),
        ("SynthesizeAudio", "queueTrigger", "audio-synthesize"),
        ("ConversationOrchestrator", "orchestrationTrigger", null),
        ("UnderstandMessage", "activityTrigger", null),
        ("SearchAvailability", "activityTrigger", null),
        ("CreateReservation", "activityTrigger", null),
        ("FindReservations", "activityTrigger", null),
        ("ModifyReservation", "activityTrigger", null),
        ("CancelReservation", "activityTrigger", null),
        ("NotifyStaff", "activityTrigger", null),
        ("RecordTurn", "activityTrigger", null),
        ("StartVerification", "activityTrigger", null),
        ("CheckVerificationCode", "activityTrigger", null),
        ("NotifyReservationOwner", "activityTrigger", null),
        ("SendReply", "activityTrigger", null),
    ];

    [Fact]
    public async Task Publish_builds_the_isolated_worker_app_with_every_function_its_bindings_and_the_durable_extension()
    {
        var output = Path.Combine(Path.GetTempPath(), "ha-publish-" + Guid.NewGuid().ToString("N"), "functionapp");
        var log = new StringWriter();
        try
        {
            var code = await new FunctionAppPublisher(RepoRoot.Path, log).PublishAsync(output, zip: true, CancellationToken.None);
            Assert.True(code == 0, log.ToString());

            var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "functions.metadata")))!.AsArray();
            Assert.Equal(Expected.Select(e => e.Name).Order(), metadata.Select(f => f!["name"]!.GetValue<string>()).Order());
            foreach (var (name, trigger, detail) in Expected)
            {
                var function = metadata.Single(f => f!["name"]!.GetValue<string>() == name)!;
                Assert.Equal("dotnet-isolated", function["language"]!.GetValue<string>());
                var bindings = function["bindings"]!.AsArray().Select(b => b!).ToList();
                var triggerBinding = Assert.Single(bindings, b => b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal));
                Assert.Equal(trigger, triggerBinding["type"]!.GetValue<string>());
                var actual = trigger switch
                {
                    "httpTrigger" => triggerBinding["route"]?.GetValue<string>(),
                    "timerTrigger" => triggerBinding["schedule"]?.GetValue<string>(),
                    "queueTrigger" => triggerBinding["queueName"]?.GetValue<string>(),
                    _ => null,
                };
                Assert.Equal(detail, actual);
                if (trigger == "httpTrigger")
                {
                    var anonymous = name is "WhatsAppWebhook" or "HealthLive" or "HealthReady";
                    Assert.Equal(anonymous ? "Anonymous" : "Function", triggerBinding["authLevel"]!.GetValue<string>());
                }
            }

            // Functions that start or raise orchestrations get a durable client; the webhook's voice notes go out on a queue output.
            string[] withClient = ["WhatsAppWebhook", "EmailPoll", "EmailWebhook", "TranscribeAudio", "StaffConversations", "StaffConversation", "StaffConversationRelease", "StaffConversationReply"];
            foreach (var name in withClient)
            {
                Assert.Contains(metadata.Single(f => f!["name"]!.GetValue<string>() == name)!["bindings"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "durableClient");
            }

            var webhookQueue = metadata.Single(f => f!["name"]!.GetValue<string>() == "WhatsAppWebhook")!["bindings"]!.AsArray()
                .Single(b => b!["type"]!.GetValue<string>() == "queue")!;
            Assert.Equal("audio-transcribe", webhookQueue["queueName"]!.GetValue<string>());
            Assert.Equal("out", webhookQueue["direction"]!.GetValue<string>(), ignoreCase: true);

            var extensions = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "extensions.json")))!["extensions"]!.AsArray()
                .Select(e => e!["name"]!.GetValue<string>()).ToList();
            Assert.Contains("DurableTask", extensions);
            Assert.Contains("AzureStorageQueues", extensions);
            Assert.True(File.Exists(Path.Combine(output, ".azurefunctions", "Microsoft.Azure.WebJobs.Extensions.DurableTask.dll")), "the host-side Durable extension is missing");

            // ReadyToRun: the app's own assemblies carry precompiled native code (a managed native header), not IL only.
            foreach (var assembly in new[] { "HotelAgent.Functions.dll", "HotelAgent.Core.dll" })
            {
                using var stream = File.OpenRead(Path.Combine(output, assembly));
                using var pe = new PEReader(stream);
                Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{assembly} is not ReadyToRun");
            }

            // W^X off for start-up (issue 19): the knob must reach the published runtimeconfig under its full name (the bare
            // EnableWriteXorExecute is not read from there).
            var runtimeConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "HotelAgent.Functions.runtimeconfig.json")))!;
            Assert.False(runtimeConfig["runtimeOptions"]!["configProperties"]!["System.Runtime.EnableWriteXorExecute"]!.GetValue<bool>());

            var host = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "host.json")))!;
            Assert.Equal("HotelAgentHub", host["extensions"]!["durableTask"]!["hubName"]!.GetValue<string>());
            Assert.Null(host["customHandler"]);

            using var zip = ZipFile.OpenRead(output + ".zip");
            Assert.NotNull(zip.GetEntry("host.json"));
            Assert.NotNull(zip.GetEntry("functions.metadata"));
            Assert.NotNull(zip.GetEntry("HotelAgent.Functions.dll"));
        }
        finally
        {
            var root = Path.GetDirectoryName(output)!;
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
