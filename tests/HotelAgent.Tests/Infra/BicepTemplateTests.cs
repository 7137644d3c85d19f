using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HotelAgent.Tests.Infra;

/// <summary>
/// The real Bicep compiler (NuGet Azure.Bicep.CommandLine.linux-x64 0.49.2, its native <c>tools/bicep</c>) run once per test
/// class: <c>bicep build</c> and <c>bicep lint</c> of infra/bicep/main.bicep, and the compiled ARM JSON the tests read.
/// </summary>
public sealed class BicepBuild : IAsyncLifetime
{
    public static readonly string BicepDir = Path.Combine(RepoRoot.Path, "infra", "bicep");

    public static string MainPath => Path.Combine(BicepDir, "main.bicep");

    public (int ExitCode, string Output) Build { get; private set; }

    public (int ExitCode, string Output) Lint { get; private set; }

    public JsonElement Template { get; private set; }

    public static string Executable()
    {
        var path = typeof(BicepBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;
        Assert.True(File.Exists(path), $"The Bicep CLI is missing at {path}: restore tests/HotelAgent.Tests (PackageDownload of Azure.Bicep.CommandLine.linux-x64).");
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        }

        return path;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Executable()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Offline: no registry look-ups, no telemetry.
        start.Environment["BICEP_TELEMETRY_OPT_OUT"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }

    public async Task InitializeAsync()
    {
        var output = Path.Combine(Path.GetTempPath(), "bicep-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            Build = await RunAsync("build", MainPath, "--outfile", output);
            Lint = await RunAsync("lint", MainPath);
            if (File.Exists(output))
            {
                using var document = JsonDocument.Parse(await File.ReadAllTextAsync(output));
                Template = document.RootElement.Clone();
            }
        }
        finally
        {
            File.Delete(output);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The module deployment named <paramref name="name"/> in the compiled template.</summary>
    public JsonElement Module(string name) =>
        Template.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments" && r.GetProperty("name").GetString() == name);

    /// <summary>The resources of a module's inner template.</summary>
    public IEnumerable<JsonElement> ModuleResources(string name) =>
        Module(name).GetProperty("properties").GetProperty("template").GetProperty("resources").EnumerateArray();

    /// <summary>The value a module deployment passes for one parameter.</summary>
    public JsonElement ModuleParameter(string module, string parameter) =>
        Module(module).GetProperty("properties").GetProperty("parameters").GetProperty(parameter).GetProperty("value");
}

/// <summary>infra/bicep compiled by the real compiler: zero warnings, and what the compiled ARM template deploys.</summary>
public sealed partial class BicepTemplateTests(BicepBuild bicep) : IClassFixture<BicepBuild>
{
    [Fact]
    public void Main_template_builds_and_lints_with_zero_warnings()
    {
        Assert.True(bicep.Build.ExitCode == 0 && bicep.Build.Output.Length == 0, "bicep build: " + bicep.Build.Output);
        Assert.True(bicep.Lint.ExitCode == 0 && bicep.Lint.Output.Length == 0, "bicep lint: " + bicep.Lint.Output);
        Assert.Equal(JsonValueKind.Object, bicep.Template.ValueKind);
    }

    [Fact]
    public async Task The_compiler_reports_what_the_zero_warning_check_must_catch()
    {
        var dir = Path.Combine(Path.GetTempPath(), "bicep-bad-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var file = Path.Combine(dir, "bad.bicep");
            await File.WriteAllTextAsync(file, "param unused string = 'x'\n@secure()\nparam apiKey string = 'hard-coded'\noutput o string = apiKey\n");
            var (exitCode, output) = await BicepBuild.RunAsync("lint", file);
            Assert.Equal(0, exitCode); // warnings do not fail the CLI: the test above checks the output is empty
            Assert.Contains("no-unused-params", output, StringComparison.Ordinal);
            Assert.Contains("secure-parameter-default", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Every_module_file_is_deployed_by_main()
    {
        var main = File.ReadAllText(BicepBuild.MainPath);
        var referenced = ModuleReference().Matches(main).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var onDisk = Directory.EnumerateFiles(Path.Combine(BicepBuild.BicepDir, "modules"), "*.bicep").Select(Path.GetFileName).ToList();
        Assert.NotEmpty(onDisk);
        Assert.All(onDisk, f => Assert.Contains(f!, referenced));
        Assert.Equal(referenced.Count, bicep.Template.GetProperty("resources").EnumerateArray().Count(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments"));
    }

    [Fact]
    public void Parameters_file_names_only_declared_params_and_covers_required_ones()
    {
        var declared = bicep.Template.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.TryGetProperty("defaultValue", out _));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(BicepBuild.BicepDir, "main.parameters.json")));
        var names = doc.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToList();
        Assert.All(names, n => Assert.True(declared.ContainsKey(n), $"main.parameters.json sets '{n}', which main.bicep does not declare"));
        Assert.All(declared.Where(p => !p.Value).Select(p => p.Key), required => Assert.Contains(required, names));
        var values = doc.RootElement.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("value").GetString());
        Assert.Equal("${AZURE_ENV_NAME}", values["environmentName"]);
        Assert.Equal("${AZURE_LOCATION}", values["location"]);
    }

    [Fact]
    public void Every_canonical_app_setting_is_set_and_secrets_are_key_vault_references_to_written_secrets()
    {
        var app = bicep.ModuleParameter("functionapp", "appSettings").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
        var platform = bicep.Module("functionapp").GetProperty("properties").GetProperty("template").GetProperty("variables").GetProperty("platformSettings")
            .EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
        var secrets = bicep.ModuleParameter("keyvault", "secrets").GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!).ToHashSet(StringComparer.Ordinal);
        Assert.All(secrets, s => Assert.Matches("^[0-9A-Za-z-]{1,127}$", s));

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(BicepBuild.BicepDir, "app-settings.json")));
        var settings = doc.RootElement.GetProperty("settings").EnumerateArray().ToList();
        Assert.True(settings.Count >= 30);
        foreach (var setting in settings)
        {
            var name = setting.GetProperty("name").GetString()!;
            Assert.True(app.ContainsKey(name) || platform.ContainsKey(name), $"app setting '{name}' is not set by the templates");
            if (setting.GetProperty("source").GetString() == "keyvault")
            {
                var secret = setting.GetProperty("secret").GetString()!;
                Assert.Contains($"@Microsoft.KeyVault(SecretUri={{0}}{secret})", app[name], StringComparison.Ordinal);
                Assert.Contains(secret, secrets);
            }
        }

        foreach (var managed in doc.RootElement.GetProperty("flexManaged").EnumerateArray())
        {
            var name = managed.GetProperty("name").GetString()!;
            Assert.False(app.ContainsKey(name) || platform.ContainsKey(name), $"'{name}' must not be an app setting on Flex Consumption");
        }

        // Shared state: Azure Tables of the host's storage account, Redis only when deployed.
        Assert.Equal("AzureStorage", app["HotelAgent__Storage"]);
        Assert.Equal("managedidentity", platform["AzureWebJobsStorage__credential"]);
        Assert.Contains("parameters('deployRedis')", app["Redis__HostName"], StringComparison.Ordinal);
    }

    [Fact]
    public void Code_side_setting_names_are_in_the_canonical_list()
    {
        // Settings the code reads in Azure; a rename in app-settings.json must be deliberate.
        string[] required =
        [
            "AzureWebJobsStorage__accountName", "APPLICATIONINSIGHTS_CONNECTION_STRING", "ASPNETCORE_ENVIRONMENT", "HotelAgent__Storage",
            "HotelAgent__DataDirectory", "HotelAgent__HotelProfilePath", "WhatsApp__AccessToken", "WhatsApp__AppSecret",
            "WhatsApp__VerifyToken", "WhatsApp__PhoneNumberId", "WhatsApp__GraphBaseUrl", "WhatsApp__GraphVersion",
            "Email__Enabled", "Email__Address", "Email__Auth", "Email__Imap__Host", "Email__Imap__Port", "Email__Imap__Security",
            "Email__Smtp__Host", "Email__Smtp__Port", "Email__Smtp__Security", "Email__Password", "Email__ClientId",
            "Email__ClientSecret", "Email__RefreshToken", "Email__TenantId", "Email__PollSchedule", "Staff__ApiKey", "OpenAI__Endpoint", "OpenAI__ApiKey", "OpenAI__ChatModel",
            "OpenAI__TranscriptionModel", "OpenAI__SpeechModel", "OpenAI__Voice", "Pms__Provider", "Pms__QloApps__BaseUrl",
            "Pms__QloApps__ApiKey", "Redis__HostName", "Redis__Port", "OTEL_EXPORTER_OTLP_ENDPOINT",
        ];
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(BicepBuild.BicepDir, "app-settings.json")));
        var names = doc.RootElement.GetProperty("settings").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToHashSet();
        Assert.All(required, r => Assert.Contains(r, names));
    }

    [Fact]
    public void Function_app_is_flex_consumption_dotnet_isolated_with_durable_always_ready_and_identity_based_storage()
    {
        var site = Assert.Single(bicep.ModuleResources("functionapp"), r => r.GetProperty("type").GetString() == "Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", site.GetProperty("kind").GetString());
        Assert.Equal("SystemAssigned", site.GetProperty("identity").GetProperty("type").GetString());
        var config = site.GetProperty("properties").GetProperty("functionAppConfig");
        Assert.Equal("dotnet-isolated", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("10.0", config.GetProperty("runtime").GetProperty("version").GetString());
        Assert.Equal("SystemAssignedIdentity", config.GetProperty("deployment").GetProperty("storage").GetProperty("authentication").GetProperty("type").GetString());
        var plan = Assert.Single(bicep.ModuleResources("functionapp"), r => r.GetProperty("type").GetString() == "Microsoft.Web/serverfarms");
        Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());
        Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());
        var alwaysReady = bicep.Module("functionapp").GetProperty("properties").GetProperty("template").GetProperty("variables").GetProperty("alwaysReady").GetString();
        Assert.Contains("'durable'", alwaysReady, StringComparison.Ordinal);
        Assert.Equal("api", bicep.ModuleParameter("functionapp", "serviceName").GetString());
    }

    [Fact]
    public void Storage_disables_shared_keys_and_declares_audio_queues_and_poison_queues()
    {
        var account = Assert.Single(bicep.ModuleResources("storage"), r => r.GetProperty("type").GetString() == "Microsoft.Storage/storageAccounts");
        Assert.False(account.GetProperty("properties").GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(account.GetProperty("properties").GetProperty("allowBlobPublicAccess").GetBoolean());
        var queues = bicep.Module("storage").GetProperty("properties").GetProperty("template").GetProperty("parameters").GetProperty("queueNames").GetProperty("defaultValue")
            .EnumerateArray().Select(q => q.GetString()).ToList();
        Assert.Equal(["audio-transcribe", "audio-transcribe-poison", "audio-synthesize", "audio-synthesize-poison"], queues);
    }

    [Fact]
    public void Role_assignments_are_least_privilege_with_table_data_for_shared_state_and_openai_by_role()
    {
        var roles = bicep.Module("rbac").GetProperty("properties").GetProperty("template").GetProperty("variables").GetProperty("roles")
            .EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", roles["storageTableDataContributor"]); // HotelAgent's shared tables and the task hub
        Assert.Equal("974c5e8b-45b9-4653-ba55-5f855dd0fb88", roles["storageQueueDataContributor"]);
        Assert.Equal("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", roles["storageBlobDataOwner"]);
        Assert.Equal("4633458b-17de-408a-b874-0445c86b69e6", roles["keyVaultSecretsUser"]);
        Assert.Equal("3913510d-42f4-4e42-8a64-420c390055eb", roles["monitoringMetricsPublisher"]);
        Assert.Equal("5e0bd9bd-7b93-4f28-af87-19fc36ad61bd", roles["cognitiveServicesOpenAIUser"]);
        var storageRoles = bicep.Module("rbac").GetProperty("properties").GetProperty("template").GetProperty("variables").GetProperty("storageRoles").GetRawText();
        Assert.Contains("storageTableDataContributor", storageRoles, StringComparison.Ordinal);

        var all = bicep.Template.GetRawText();
        string[] forbidden =
        [
            "17d1049b-9a84-46fb-8f53-869881c3d3ab", // Storage Account Contributor (exposes keys)
            "b24988ac-6180-42a0-ab88-20f7382dd24c", // Contributor
            "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", // Owner
            "00482a5a-887f-4fb3-b363-3b7fe8e74483", // Key Vault Administrator
        ];
        Assert.All(forbidden, id => Assert.DoesNotContain(id, all, StringComparison.Ordinal));
        var vault = Assert.Single(bicep.ModuleResources("keyvault"), r => r.GetProperty("type").GetString() == "Microsoft.KeyVault/vaults");
        Assert.True(vault.GetProperty("properties").GetProperty("enableRbacAuthorization").GetBoolean());
    }

    [Fact]
    public void Azure_openai_is_optional_keyless_and_reached_by_the_app_identity()
    {
        Assert.Equal("[parameters('deployOpenAI')]", bicep.Module("openai").GetProperty("condition").GetString());
        var account = Assert.Single(bicep.ModuleResources("openai"), r => r.GetProperty("type").GetString() == "Microsoft.CognitiveServices/accounts");
        Assert.True(account.GetProperty("properties").GetProperty("disableLocalAuth").GetBoolean());
        Assert.DoesNotContain(bicep.ModuleResources("openai"), r => r.GetProperty("type").GetString()!.StartsWith("Microsoft.KeyVault", StringComparison.Ordinal));
        var deployments = bicep.ModuleResources("openai").Where(r => r.GetProperty("type").GetString() == "Microsoft.CognitiveServices/accounts/deployments").ToList();
        Assert.Equal(3, deployments.Count);

        var app = bicep.ModuleParameter("functionapp", "appSettings");
        Assert.StartsWith("[if(parameters('deployOpenAI'), '',", app.GetProperty("OpenAI__ApiKey").GetString(), StringComparison.Ordinal);
        Assert.Contains("openai", app.GetProperty("OpenAI__Endpoint").GetString(), StringComparison.Ordinal);
        var openAiUser = Assert.Single(bicep.ModuleResources("rbac"), r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments"
            && r.GetRawText().Contains("cognitiveServicesOpenAIUser", StringComparison.Ordinal));
        Assert.Contains("openAIAccountName", openAiUser.GetProperty("condition").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Azure_managed_redis_is_optional_with_entra_authentication_only()
    {
        Assert.Equal("[parameters('deployRedis')]", bicep.Module("redis").GetProperty("condition").GetString());
        Assert.False(bicep.Template.GetProperty("parameters").GetProperty("deployRedis").GetProperty("defaultValue").GetBoolean());
        var resources = bicep.ModuleResources("redis").ToList();
        Assert.Single(resources, r => r.GetProperty("type").GetString() == "Microsoft.Cache/redisEnterprise");
        var database = Assert.Single(resources, r => r.GetProperty("type").GetString() == "Microsoft.Cache/redisEnterprise/databases");
        Assert.Equal("Disabled", database.GetProperty("properties").GetProperty("accessKeysAuthentication").GetString());
        Assert.Equal("Encrypted", database.GetProperty("properties").GetProperty("clientProtocol").GetString());
        var user = Assert.Single(resources, r => r.GetProperty("type").GetString() == "Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments");
        Assert.Equal("default", user.GetProperty("properties").GetProperty("accessPolicyName").GetString());
        Assert.Contains("principalId", bicep.ModuleParameter("redis", "principalId").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Azure_yaml_deploys_the_published_folder_as_a_function_service()
    {
        var yaml = File.ReadAllText(Path.Combine(RepoRoot.Path, "azure.yaml"));
        Assert.Matches(@"(?m)^services:\s*\n\s+api:", yaml);
        Assert.Matches(@"(?m)^\s+host: function\s*$", yaml);
        Assert.Matches(@"(?m)^\s+dist: artifacts/functionapp\s*$", yaml);
        Assert.Matches(@"(?m)^\s+prepackage:", yaml);
        Assert.Contains("dotnet run --project src/HotelAgent.Cli -c Release -- publish", yaml, StringComparison.Ordinal);
        var infraPath = Regex.Match(yaml, @"(?m)^\s+path: (\S+)\s*$").Groups[1].Value;
        var module = Regex.Match(yaml, @"(?m)^\s+module: (\S+)\s*$").Groups[1].Value;
        Assert.True(File.Exists(Path.Combine(RepoRoot.Path, infraPath, module + ".bicep")), $"{infraPath}/{module}.bicep missing");
        Assert.True(File.Exists(Path.Combine(RepoRoot.Path, infraPath, module + ".parameters.json")));
    }

    [GeneratedRegex(@"^module\s+\w+\s+'modules/([\w.-]+\.bicep)'", RegexOptions.Multiline)]
    private static partial Regex ModuleReference();
}

/// <summary>Keeps the local settings sample (owned by the lead) in sync with the canonical Azure list.</summary>
public sealed class LocalSettingsSampleSyncTests
{
    private static readonly string[] Candidates =
    [
        "local.settings.sample.json",
        Path.Combine("src", "HotelAgent.Functions", "local.settings.sample.json"),
    ];

    [Fact]
    public void Local_settings_sample_lists_every_app_setting_the_code_reads()
    {
        var path = Candidates.Select(c => Path.Combine(RepoRoot.Path, c)).FirstOrDefault(File.Exists);
        Assert.True(path is not null, "local.settings.sample.json is missing at the repository root.");

        using var sample = JsonDocument.Parse(File.ReadAllText(path!), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var values = sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString(), StringComparer.Ordinal);
        Assert.Equal("dotnet-isolated", values.GetValueOrDefault("FUNCTIONS_WORKER_RUNTIME"));

        using var canonical = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "infra", "bicep", "app-settings.json")));
        var missing = canonical.RootElement.GetProperty("settings").EnumerateArray()
            .Where(s => s.GetProperty("source").GetString() != "identity")
            .Select(s => s.GetProperty("name").GetString()!)
            .Where(n => !n.StartsWith("APPLICATIONINSIGHTS_", StringComparison.Ordinal))
            .Where(n => !values.ContainsKey(n))
            .ToList();
        Assert.True(missing.Count == 0, $"{Path.GetFileName(path)} lacks: {string.Join(", ", missing)}");
    }
}
