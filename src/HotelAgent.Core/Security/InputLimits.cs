namespace HotelAgent.Core.Security;

/// <summary>Size limits every host and channel applies (docs/security.md lists them).</summary>
public static class InputLimits
{
    /// <summary>Characters of one guest message that are understood and stored; the rest is cut (the message is kept).</summary>
    public const int MaxMessageChars = 4096;

    /// <summary>Characters of a guest's display name (WhatsApp profile, email display name, web-chat name).</summary>
    public const int MaxDisplayNameChars = 100;

    /// <summary>A WhatsApp webhook body (Meta's notifications are a few KB; larger bodies get 413).</summary>
    public const int MaxWebhookBodyBytes = 1 << 20;

    /// <summary>Any other HTTP function body (the staff API), read by the function itself under either host.</summary>
    public const int MaxHttpBodyBytes = 1 << 20;

    /// <summary>The message as understood and stored: text and display name cut to their limits.</summary>
    public static Messaging.InboundMessage Bound(Messaging.InboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = Cut(message.Text, MaxMessageChars);
        var name = Cut(message.DisplayName, MaxDisplayNameChars);
        return ReferenceEquals(text, message.Text) && ReferenceEquals(name, message.DisplayName)
            ? message
            : message with { Text = text!, DisplayName = name };
    }

    /// <summary>At most <paramref name="max"/> characters, never splitting a surrogate pair.</summary>
    public static string? Cut(string? value, int max)
    {
        if (value is null || value.Length <= max)
        {
            return value;
        }

        var end = char.IsHighSurrogate(value[max - 1]) ? max - 1 : max;
        return value[..end];
    }
}
