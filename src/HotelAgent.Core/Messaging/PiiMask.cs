namespace HotelAgent.Core.Messaging;

/// <summary>Masks guest contacts for logs: phone → last 4 digits, email → domain.</summary>
public static class PiiMask
{
    public static string Contact(string? contact)
    {
        if (string.IsNullOrEmpty(contact))
        {
            return "(none)";
        }

        var at = contact.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return "***@" + contact[(at + 1)..];
        }

        var digits = new string(contact.Where(char.IsAsciiDigit).ToArray());
        return digits.Length >= 4 ? "***" + digits[^4..] : "***";
    }
}
