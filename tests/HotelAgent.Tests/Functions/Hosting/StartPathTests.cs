using HotelAgent.Core.Channels.Email;
using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Core.Orchestration;
using HotelAgent.Core.Pms;
using HotelAgent.Functions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Functions.Hosting;

/// <summary>
/// What the start path was trimmed of (issue 19) still holds: settings are validated at start by the generated
/// validators, with the same rules, and the routing matcher no longer carries the controllers' policies.
/// </summary>
public sealed class StartPathTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("hotelagent-startpath-");

    public void Dispose() => _data.Delete(recursive: true);

    private (WebApplication App, IServiceCollection Services) Build(params string[] settings)
    {
        IServiceCollection? services = null;
        string[] args =
        [
            "--urls", "http://127.0.0.1:0", "--environment", "Development",
            $"--HotelAgent:DataDirectory={_data.FullName}",
            "--WhatsApp:AppSecret=s", "--WhatsApp:VerifyToken=v", "--WhatsApp:AccessToken=a", "--WhatsApp:PhoneNumberId=1",
            .. settings.Select(s => "--" + s),
        ];
        var app = HotelAgentApp.Build(args, builder => services = builder.Services);
        return (app, services!);
    }

    [Fact]
    public async Task Every_settings_section_is_validated_by_one_generated_validator_and_none_by_reflection()
    {
        var (app, services) = Build();
        await using var _ = app;

        var validators = services.Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IValidateOptions<>)).ToList();
        Assert.DoesNotContain(validators, d => d.ImplementationInstance?.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(DataAnnotationValidateOptions<>));
        foreach (var type in new[] { typeof(WhatsAppOptions), typeof(EmailOptions), typeof(PmsOptions), typeof(DurableOptions), typeof(HotelAgent.Core.Configuration.HotelAgentOptions) })
        {
            var generated = Assert.Single(validators, d => d.ServiceType.GenericTypeArguments[0] == type && d.ImplementationInstance?.GetType().Assembly == type.Assembly);
            Assert.EndsWith("Validator", generated.ImplementationInstance!.GetType().Name, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("WhatsApp:MessagesPerSecond=-3", typeof(WhatsAppOptions), "MessagesPerSecond")]
    [InlineData("Durable:TaskHub=1-bad", typeof(DurableOptions), "TaskHub")]
    [InlineData("Pms:TimeoutSeconds=0", typeof(PmsOptions), "TimeoutSeconds")]
    // EmailOptions is an IValidatableObject: its own rules still run.
    [InlineData("Email:Enabled=true", typeof(EmailOptions), "Email__Address")]
    public async Task A_bad_setting_still_fails_validation_and_names_the_setting(string setting, Type options, string named)
    {
        var (app, _) = Build(setting);
        await using var _app = app;

        var accessor = app.Services.GetRequiredService(typeof(IOptions<>).MakeGenericType(options));
        var ex = Assert.Throws<System.Reflection.TargetInvocationException>(() => accessor.GetType().GetProperty("Value")!.GetValue(accessor));
        var failure = Assert.IsType<OptionsValidationException>(ex.InnerException);
        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Default_settings_pass_the_generated_validators()
    {
        var (app, _) = Build();
        await using var _app = app;

        Assert.Equal(20.0, app.Services.GetRequiredService<IOptions<WhatsAppOptions>>().Value.MessagesPerSecond);
        _ = app.Services.GetRequiredService<IOptions<DurableOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<PmsOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<EmailOptions>>().Value;
    }

    [Fact]
    public async Task Routing_builds_its_matcher_without_the_controllers_policies()
    {
        var (app, _) = Build();
        await using var _app = app;

        var mvc = typeof(Microsoft.AspNetCore.Mvc.ControllerBase).Assembly;
        var policies = app.Services.GetServices<MatcherPolicy>().ToList();
        Assert.NotEmpty(policies); // routing's own (HTTP method, host) stay
        Assert.DoesNotContain(policies, p => p.GetType().Assembly == mvc);
    }
}
