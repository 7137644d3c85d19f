using System.IO.Compression;
using System.Text.Json.Nodes;
using HotelAgent.Cli.Commands;
using HotelAgent.Tests.Functions.Definitions;

namespace HotelAgent.Tests.Cli;

/// <summary>Runs the real <c>hotel-agent publish</c> steps (self-contained linux-x64 ReadyToRun) and checks the folder's shape.</summary>
public sealed class PublishCommandTests
{
    [Fact]
    public async Task Publish_builds_a_function_app_folder_the_functions_host_can_run_and_a_zip()
    {
        var output = Path.Combine(Path.GetTempPath(), "ha-publish-" + Guid.NewGuid().ToString("N"), "functionapp");
        var log = new StringWriter();
        try
        {
            var code = await new FunctionAppPublisher(FunctionMetadataWriterTests.RepositoryRoot(), log).PublishAsync(output, "linux-x64", zip: true, CancellationToken.None);

            Assert.True(code == 0, log.ToString());
            var host = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "host.json")))!;
            var executable = host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>();
            var handler = Path.Combine(output, executable);
            Assert.True(File.Exists(handler), "The handler executable named in host.json is missing.");
            Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(handler).HasFlag(UnixFileMode.UserExecute), "The handler is not executable.");
            Assert.True(File.Exists(Path.Combine(output, "handler", "libe_sqlite3.so")), "Self-contained publish must carry the native SQLite library.");
            Assert.True(File.Exists(Path.Combine(output, "handler", "libcoreclr.so")), "The handler must be self-contained (no shared runtime needed).");

            var functions = Directory.GetDirectories(output).Select(Path.GetFileName).Where(n => n != "handler").ToArray();
            Assert.Contains("WhatsAppWebhook", functions);
            Assert.Contains("ConversationOrchestrator", functions);
            Assert.Contains("SendReply", functions);
            Assert.Contains("TranscribeAudio", functions);
            Assert.Contains("EmailPoll", functions);
            Assert.All(functions, f => Assert.True(File.Exists(Path.Combine(output, f!, "function.json")), $"{f} has no function.json"));

            using var zip = ZipFile.OpenRead(output + ".zip");
            Assert.NotNull(zip.GetEntry("host.json"));
            Assert.NotNull(zip.GetEntry("WhatsAppWebhook/function.json"));
            var entry = zip.GetEntry("handler/HotelAgent.Functions");
            Assert.NotNull(entry);
            Assert.True(((entry!.ExternalAttributes >> 16) & 0b001_000_000) != 0, "The zip must keep the handler's execute bit.");
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
