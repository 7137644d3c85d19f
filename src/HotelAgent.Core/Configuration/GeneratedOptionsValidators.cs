using HotelAgent.Core.Analytics;
using HotelAgent.Core.Audio;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Channels.Email;
using HotelAgent.Core.Channels.WebChat;
using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Core.Conversation;
using HotelAgent.Core.Dialog;
using HotelAgent.Core.Nlu;
using HotelAgent.Core.Orchestration;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Queues;
using HotelAgent.Core.Security;
using HotelAgent.Core.Transcripts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Configuration;

/// <summary>
/// Start-up (issue 19): the settings are validated at start by validators generated at compile time from the same
/// DataAnnotations attributes (<see cref="OptionsValidatorAttribute"/>), instead of <c>ValidateDataAnnotations</c>'s
/// reflection (<c>Validator.TryValidateObject</c> walks every property through TypeDescriptor): that was ~7 % of the main
/// thread before Kestrel listened. The registrations keep <c>.ValidateDataAnnotations().ValidateOnStart()</c>, which says
/// what is validated and still works for a service collection built without <see cref="HotelAgentCoreServiceCollectionExtensions.AddHotelAgentCore"/>;
/// <see cref="UseGeneratedValidators"/> then swaps the reflection validator of each type below for its generated one.
/// Same rules: top-level properties only (as <c>Validator.TryValidateObject</c>: nested objects are not walked),
/// <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/> included; the failure message names the property.
/// </summary>
public static class GeneratedOptionsValidators
{
    private static readonly Dictionary<Type, Func<object>> Validators = new()
    {
        [typeof(HotelAgentOptions)] = () => new HotelAgentOptionsValidator(),
        [typeof(QueueOptions)] = () => new QueueOptionsValidator(),
        [typeof(SecurityOptions)] = () => new SecurityOptionsValidator(),
        [typeof(WebChatOptions)] = () => new WebChatOptionsValidator(),
        [typeof(ConversationOptions)] = () => new ConversationOptionsValidator(),
        [typeof(WhatsAppOptions)] = () => new WhatsAppOptionsValidator(),
        [typeof(RateLimitOptions)] = () => new RateLimitOptionsValidator(),
        [typeof(EmailOptions)] = () => new EmailOptionsValidator(),
        [typeof(DialogOptions)] = () => new DialogOptionsValidator(),
        [typeof(NluOptions)] = () => new NluOptionsValidator(),
        [typeof(AnalyticsOptions)] = () => new AnalyticsOptionsValidator(),
        [typeof(DurableOptions)] = () => new DurableOptionsValidator(),
        [typeof(SqliteOrchestrationOptions)] = () => new SqliteOrchestrationOptionsValidator(),
        [typeof(AudioOptions)] = () => new AudioOptionsValidator(),
        [typeof(OpenAiAudioOptions)] = () => new OpenAiAudioOptionsValidator(),
        [typeof(PmsOptions)] = () => new PmsOptionsValidator(),
        [typeof(TranscriptOptions)] = () => new TranscriptOptionsValidator(),
    };

    /// <summary>
    /// Replaces every <c>ValidateDataAnnotations</c> registration of a type listed here with one generated validator
    /// (several registrations of the same type, e.g. <see cref="HotelAgentOptions"/> from four modules, become one).
    /// Types not listed keep the reflection validator: slower at start, same outcome.
    /// </summary>
    public static IServiceCollection UseGeneratedValidators(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var replaced = new HashSet<Type>();
        for (var i = services.Count - 1; i >= 0; i--)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType.IsGenericType
                && descriptor.ServiceType.GetGenericTypeDefinition() == typeof(IValidateOptions<>)
                && descriptor.ImplementationInstance?.GetType() is { IsGenericType: true } implementation
                && implementation.GetGenericTypeDefinition() == typeof(DataAnnotationValidateOptions<>)
                && Validators.ContainsKey(descriptor.ServiceType.GenericTypeArguments[0]))
            {
                services.RemoveAt(i);
                replaced.Add(descriptor.ServiceType.GenericTypeArguments[0]);
            }
        }

        foreach (var type in replaced)
        {
            services.AddSingleton(typeof(IValidateOptions<>).MakeGenericType(type), Validators[type]());
        }

        return services;
    }
}

[OptionsValidator]
internal sealed partial class HotelAgentOptionsValidator : IValidateOptions<HotelAgentOptions>;

[OptionsValidator]
internal sealed partial class QueueOptionsValidator : IValidateOptions<QueueOptions>;

[OptionsValidator]
internal sealed partial class SecurityOptionsValidator : IValidateOptions<SecurityOptions>;

[OptionsValidator]
internal sealed partial class WebChatOptionsValidator : IValidateOptions<WebChatOptions>;

[OptionsValidator]
internal sealed partial class ConversationOptionsValidator : IValidateOptions<ConversationOptions>;

[OptionsValidator]
internal sealed partial class WhatsAppOptionsValidator : IValidateOptions<WhatsAppOptions>;

[OptionsValidator]
internal sealed partial class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>;

[OptionsValidator]
internal sealed partial class EmailOptionsValidator : IValidateOptions<EmailOptions>;

[OptionsValidator]
internal sealed partial class DialogOptionsValidator : IValidateOptions<DialogOptions>;

[OptionsValidator]
internal sealed partial class NluOptionsValidator : IValidateOptions<NluOptions>;

[OptionsValidator]
internal sealed partial class AnalyticsOptionsValidator : IValidateOptions<AnalyticsOptions>;

[OptionsValidator]
internal sealed partial class DurableOptionsValidator : IValidateOptions<DurableOptions>;

[OptionsValidator]
internal sealed partial class SqliteOrchestrationOptionsValidator : IValidateOptions<SqliteOrchestrationOptions>;

[OptionsValidator]
internal sealed partial class AudioOptionsValidator : IValidateOptions<AudioOptions>;

[OptionsValidator]
internal sealed partial class OpenAiAudioOptionsValidator : IValidateOptions<OpenAiAudioOptions>;

[OptionsValidator]
internal sealed partial class PmsOptionsValidator : IValidateOptions<PmsOptions>;

[OptionsValidator]
internal sealed partial class TranscriptOptionsValidator : IValidateOptions<TranscriptOptions>;
