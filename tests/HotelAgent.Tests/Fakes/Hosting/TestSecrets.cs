using System.Runtime.CompilerServices;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Tests.Fakes.Hosting;

/// <summary>
/// Secrets every test host is started with. The conversation-id key is process-wide (<see cref="ConversationIds"/>): it is
/// set once when this assembly loads, and every in-process host passes the same value, so no test sees ids change under it.
/// </summary>
public static class TestSecrets
{
    /// <summary>A real-looking key (not a <c>dev-</c> placeholder), so Production-mode hosts accept it too.</summary>
    public const string ConversationIdKey = "test-conversation-id-key-4f1c";

#pragma warning disable CA2255 // The test assembly's one process-wide setting must be in place before any test runs.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void UseTestKey() => ConversationIds.UseKey(ConversationIdKey);
}
