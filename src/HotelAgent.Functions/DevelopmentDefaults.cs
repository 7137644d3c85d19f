namespace HotelAgent.Functions;

/// <summary>
/// Offline defaults for Development (standalone <c>dotnet run</c>): no Azure, no keys. Production refuses
/// to start with these (they are recognised as placeholders by the secrets check).
/// </summary>
public static class DevelopmentDefaults
{
    public static readonly IReadOnlyDictionary<string, string?> Values = new Dictionary<string, string?>
    {
        ["HotelAgent:DataDirectory"] = "data",
        ["WhatsApp:AccessToken"] = "dev-access-token",
        ["WhatsApp:AppSecret"] = "dev-app-secret",
        ["WhatsApp:VerifyToken"] = "dev-verify-token",
        ["WhatsApp:PhoneNumberId"] = "100000000000001",
        // Nothing leaves the machine in Development unless a real Graph base URL is configured.
        ["WhatsApp:GraphBaseUrl"] = "http://127.0.0.1:9",
        ["Staff:ApiKey"] = "dev-staff-key",
        ["Security:ConversationIdKey"] = Core.Messaging.ConversationIds.DevelopmentKey,
    };
}
