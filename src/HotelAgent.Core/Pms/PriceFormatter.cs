using System.Globalization;

namespace HotelAgent.Core.Pms;

/// <summary>
/// Prices for guests always carry the ISO currency code, so a guest never wonders which "$" is meant: "ARS 95.000",
/// "USD 120", "ARS 95,000" for an English reader. Whole amounts have no decimals; others have two. Grouping and decimal
/// separators follow the culture.
/// </summary>
public static class PriceFormatter
{
    public static string Format(decimal amount, string currency, string culture)
    {
        ArgumentNullException.ThrowIfNull(currency);
        var ci = GetCulture(culture);
        var decimals = decimal.Truncate(amount) == amount ? 0 : 2;
        var number = Math.Abs(amount).ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), ci);
        var text = currency.Trim().ToUpperInvariant() + " " + number;
        return amount < 0 ? "-" + text : text;
    }

    private static CultureInfo GetCulture(string culture)
    {
        try
        {
            return CultureInfo.GetCultureInfo(string.IsNullOrWhiteSpace(culture) ? "es-AR" : culture, predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            return CultureInfo.GetCultureInfo("es-AR");
        }
    }
}
