using System.Text.Json;
using System.Text.RegularExpressions;

namespace HotelAgent.Tests.Infra;

/// <summary>Offline checks of infra/bicep (no Bicep compiler is available here): see BicepLint.</summary>
public sealed partial class BicepTemplateTests
{
    private static readonly string BicepDir = Path.Combine(RepoRoot.Path, "infra", "bicep");
    private static readonly string MainPath = Path.Combine(BicepDir, "main.bicep");

    private static IEnumerable<BicepFile> AllFiles()
        => Directory.EnumerateFiles(BicepDir, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(BicepFile.Load);

    private static BicepFile Module(string name) => BicepFile.Load(Path.Combine(BicepDir, "modules", name));

    [Fact]
    public void Templates_pass_the_offline_lint()
    {
        var problems = BicepLint.Check(MainPath);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Every_module_file_is_referenced_from_main()
    {
        var main = BicepFile.Load(MainPath);
        var referenced = main.Modules.Select(m => Path.GetFileName(m.RelativePath)).ToHashSet(StringComparer.Ordinal);
        var onDisk = Directory.EnumerateFiles(Path.Combine(BicepDir, "modules"), "*.bicep").Select(Path.GetFileName).ToList();
        Assert.NotEmpty(onDisk);
        Assert.All(onDisk, f => Assert.Contains(f!, referenced));
    }

    [Fact]
    public void Parameters_file_names_only_declared_params_and_covers_required_ones()
    {
        var main = BicepFile.Load(MainPath);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(BicepDir, "main.parameters.json")));
        var names = doc.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToList();

        Assert.All(names, n => Assert.True(main.Params.ContainsKey(n), $"main.parameters.json sets '{n}', which main.bicep does not declare"));
        Assert.All(main.Params.Where(p => !p.Value).Select(p => p.Key), required => Assert.Contains(required, names));
        var values = doc.RootElement.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("value").GetString());
        Assert.Equal("${AZURE_ENV_NAME}", values["environmentName"]);
        Assert.Equal("${AZURE_LOCATION}", values["location"]);
    }

    [Fact]
    public void Every_canonical_app_setting_is_set_and_secrets_are_key_vault_references()
    {
        var entries = AllFiles().SelectMany(f => f.ObjectEntries()).ToLookup(e => e.Key, e => e.Value, StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(BicepDir, "app-settings.json")));
        var settings = doc.RootElement.GetProperty("settings").EnumerateArray().ToList();
        Assert.True(settings.Count >= 30);

        foreach (var setting in settings)
        {
            var name = setting.GetProperty("name").GetString()!;
            Assert.True(entries.Contains(name), $"app setting '{name}' is not set by the templates");
            if (setting.GetProperty("source").GetString() == "keyvault")
            {
                var secret = setting.GetProperty("secret").GetString()!;
                var value = Assert.Single(entries[name]);
                Assert.Matches(@"^'@Microsoft\.KeyVault\(SecretUri=\$\{\w+\}" + Regex.Escape(secret) + @"\)'$", value);
            }
        }

        foreach (var managed in doc.RootElement.GetProperty("flexManaged").EnumerateArray())
        {
            var name = managed.GetProperty("name").GetString()!;
            Assert.False(entries.Contains(name), $"'{name}' must not be an app setting on Flex Consumption");
        }
    }

    [Fact]
    public void Code_side_setting_names_are_in_the_canonical_list()
    {
        // Settings the brief fixes for the code; a rename in app-settings.json must be deliberate.
        string[] required =
        [
            "AzureWebJobsStorage__accountName", "APPLICATIONINSIGHTS_CONNECTION_STRING", "ASPNETCORE_ENVIRONMENT",
            "HotelAgent__DataDirectory", "HotelAgent__HotelProfilePath", "WhatsApp__AccessToken", "WhatsApp__AppSecret",
            "WhatsApp__VerifyToken", "WhatsApp__PhoneNumberId", "WhatsApp__GraphBaseUrl", "WhatsApp__GraphVersion",
            "Email__Enabled", "Email__Address", "Email__Auth", "Email__Imap__Host", "Email__Imap__Port", "Email__Imap__Security",
            "Email__Smtp__Host", "Email__Smtp__Port", "Email__Smtp__Security", "Email__Password", "Email__ClientId",
            "Email__ClientSecret", "Email__RefreshToken", "Email__TenantId", "Email__PollSchedule", "Staff__ApiKey", "OpenAI__Endpoint", "OpenAI__ApiKey", "OpenAI__ChatModel",
            "OpenAI__TranscriptionModel", "OpenAI__SpeechModel", "OpenAI__Voice", "Pms__Provider", "Pms__QloApps__BaseUrl",
            "Pms__QloApps__ApiKey", "OTEL_EXPORTER_OTLP_ENDPOINT",
        ];
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(BicepDir, "app-settings.json")));
        var names = doc.RootElement.GetProperty("settings").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToHashSet();
        Assert.All(required, r => Assert.Contains(r, names));
    }

    [Fact]
    public void Key_vault_secrets_referenced_exist_as_secret_resources()
    {
        var referenced = AllFiles()
            .SelectMany(f => SecretUriRef().Matches(f.Text).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains("WhatsApp-AccessToken", referenced);

        var declared = new HashSet<string>(StringComparer.Ordinal);
        var main = BicepFile.Load(MainPath);
        var kvCall = Assert.Single(main.Modules, m => m.RelativePath == "modules/keyvault.bicep");
        foreach (Match m in LiteralName().Matches(kvCall.Params["secrets"] + SecretsBlock(main)))
        {
            declared.Add(m.Groups[1].Value);
        }

        // Secret resources with a literal name in any module (e.g. the OpenAI key written by openai.bicep).
        foreach (var file in AllFiles())
        {
            foreach (var (symbol, type) in file.ResourceTypes.Where(r => r.Value == "Microsoft.KeyVault/vaults/secrets"))
            {
                var at = Regex.Match(file.Text, @"^\s*resource\s+" + symbol + @"\s", RegexOptions.Multiline).Index;
                var body = file.BlockAt(at);
                var name = LiteralName().Match(body);
                if (name.Success)
                {
                    declared.Add(name.Groups[1].Value);
                }
                else
                {
                    Assert.Contains("item.name", body, StringComparison.Ordinal); // the keyvault.bicep loop over the items
                }
            }
        }

        Assert.All(referenced, r => Assert.True(declared.Contains(r), $"Key Vault reference to '{r}' has no secret resource"));
        Assert.All(declared, d => Assert.Matches("^[0-9A-Za-z-]{1,127}$", d));
    }

    private static string SecretsBlock(BicepFile main)
    {
        var at = main.Text.IndexOf("secrets: {", StringComparison.Ordinal);
        return at < 0 ? string.Empty : main.BlockAt(at);
    }

    [Fact]
    public void Function_app_is_flex_consumption_dotnet_isolated_with_durable_always_ready()
    {
        var text = Module("functionapp.bicep").Text;
        Assert.Contains("kind: 'functionapp,linux'", text, StringComparison.Ordinal);
        Assert.Matches(@"tier: 'FlexConsumption'\s+name: 'FC1'", text);
        Assert.Matches(@"runtime: \{\s+name: 'dotnet-isolated'\s+version: '10.0'\s+\}", text);
        Assert.Matches(@"name: 'durable'\s+instanceCount: durableAlwaysReadyInstances", text);
        Assert.Matches(@"type: 'blobContainer'[\s\S]+?authentication: \{\s+type: 'SystemAssignedIdentity'", text);
        Assert.Contains("type: 'SystemAssigned'", text, StringComparison.Ordinal);
        Assert.Contains("AzureWebJobsStorage__credential: 'managedidentity'", text, StringComparison.Ordinal);
        Assert.Contains("'azd-service-name': serviceName", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Storage_disables_shared_keys_and_declares_audio_queues_and_poison_queues()
    {
        var text = Module("storage.bicep").Text;
        Assert.Contains("allowSharedKeyAccess: false", text, StringComparison.Ordinal);
        Assert.Contains("allowBlobPublicAccess: false", text, StringComparison.Ordinal);
        foreach (var q in new[] { "audio-transcribe", "audio-transcribe-poison", "audio-synthesize", "audio-synthesize-poison" })
        {
            Assert.Contains($"'{q}'", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Role_assignments_are_least_privilege()
    {
        var text = Module("rbac.bicep").Text;
        string[] expected =
        [
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner
            "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor
            "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor
            "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User
            "3913510d-42f4-4e42-8a64-420c390055eb", // Monitoring Metrics Publisher
            "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd", // Cognitive Services OpenAI User
        ];
        Assert.All(expected, id => Assert.Contains(id, text, StringComparison.Ordinal));

        string[] forbidden =
        [
            "17d1049b-9a84-46fb-8f53-869881c3d3ab", // Storage Account Contributor (exposes keys)
            "b24988ac-6180-42a0-ab88-20f7382dd24c", // Contributor
            "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", // Owner
            "00482a5a-887f-4fb3-b363-3b7fe8e74483", // Key Vault Administrator
        ];
        foreach (var file in AllFiles())
        {
            Assert.All(forbidden, id => Assert.DoesNotContain(id, file.Text, StringComparison.Ordinal));
        }

        var kv = Module("keyvault.bicep").Text;
        Assert.Contains("enableRbacAuthorization: true", kv, StringComparison.Ordinal);
    }

    [Fact]
    public void Azure_openai_is_optional_and_uses_the_v1_endpoint()
    {
        var main = BicepFile.Load(MainPath);
        Assert.True(main.Params.ContainsKey("deployOpenAI"));
        Assert.Contains("module openAI 'modules/openai.bicep' = if (deployOpenAI)", main.Text, StringComparison.Ordinal);
        Assert.Contains("OpenAI__Endpoint: deployOpenAI ? openAI!.outputs.endpoint : openAIEndpoint", main.Text, StringComparison.Ordinal);

        var openai = Module("openai.bicep").Text;
        Assert.Contains("'https://${account.name}.openai.azure.com/openai/v1/'", openai, StringComparison.Ordinal);
        Assert.Contains("customSubDomainName: name", openai, StringComparison.Ordinal);
        Assert.Contains("'gpt-4o-mini'", openai, StringComparison.Ordinal);
        Assert.Contains("'gpt-4o-mini-transcribe'", openai, StringComparison.Ordinal);
        Assert.Contains("'gpt-4o-mini-tts'", openai, StringComparison.Ordinal);
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

    // ---- The lint must be able to fail: synthetic broken templates. ----

    [Fact]
    public void Lint_reports_unused_params_and_undeclared_identifiers()
    {
        var file = BicepFile.Parse("bad.bicep", """
            param used string
            param unused string = 'x'
            var name = '${used}-${missing}'
            output o string = name
            """);
        var problems = BicepLint.CheckFile(file);
        Assert.Contains(problems, p => p.Contains("'unused' is declared but never used", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'missing' is used but not declared", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("'used'", StringComparison.Ordinal));
    }

    [Fact]
    public void Lint_ignores_strings_comments_keys_properties_and_functions()
    {
        var file = BicepFile.Parse("ok.bicep", """
            // param ghost string
            param location string
            param items array = []
            var tags = {
              owner: 'notAnIdentifier ${location}'
            }
            resource st 'Microsoft.Storage/storageAccounts@2023-05-01' = [for item in items: {
              name: item.name
              location: resourceGroup().location
              tags: tags
            }]
            """);
        Assert.Empty(BicepLint.CheckFile(file));
    }

    [Fact]
    public void Lint_reports_missing_module_files_params_and_outputs()
    {
        var dir = Path.Combine(Path.GetTempPath(), "bicep-lint-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "modules"));
        try
        {
            File.WriteAllText(Path.Combine(dir, "modules", "child.bicep"), """
                param required string
                param optional int = 1
                output value string = '${required}${optional}'
                """);
            File.WriteAllText(Path.Combine(dir, "main.bicep"), """
                module child 'modules/child.bicep' = {
                  name: 'child'
                  params: {
                    optional: 2
                    extra: 'x'
                  }
                }
                module ghost 'modules/ghost.bicep' = {
                  name: 'ghost'
                }
                output v string = child.outputs.nope
                """);
            var problems = BicepLint.Check(Path.Combine(dir, "main.bicep"));
            Assert.Contains(problems, p => p.Contains("missing file 'modules/ghost.bicep'", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("does not pass required param 'required'", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("passes 'extra'", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("'child.outputs.nope' is not an output", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [GeneratedRegex(@"SecretUri=\$\{\w+\}([0-9A-Za-z-]+)\)")]
    private static partial Regex SecretUriRef();

    [GeneratedRegex(@"name:\s*'([^']+)'")]
    private static partial Regex LiteralName();
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
