using System.Globalization;

namespace HotelAgent.Core.Pms;

/// <summary>
/// Prices for guests. The hotel's own currency in its own culture uses the local symbol ("$ 95.000" for ARS in es-AR);
/// any other currency uses its ISO code so "$" is never ambiguous ("USD 120", "US$" is avoided). Whole amounts have no
/// decimals; others have two. Grouping and decimal separators and symbol placement follow the culture.
/// </summary>
public static class PriceFormatter
{
    public static string Format(decimal amount, string currency, string culture)
    {
        ArgumentNullException.ThrowIfNull(currency);
        var ci = GetCulture(culture);
        var nfi = ci.NumberFormat;
        var decimals = decimal.Truncate(amount) == amount ? 0 : 2;
        var number = Math.Abs(amount).ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), ci);
        var symbol = SymbolFor(currency.ToUpperInvariant(), ci);
        var isIsoCode = symbol.Length == 3 && symbol.All(char.IsAsciiLetterUpper);

        // Patterns: 0 "$n", 1 "n$", 2 "$ n", 3 "n $". An ISO code always gets a space.
        var text = nfi.CurrencyPositivePattern switch
        {
            1 => isIsoCode ? number + " " + symbol : number + symbol,
            3 => number + " " + symbol,
            0 => isIsoCode ? symbol + " " + number : symbol + number,
            _ => symbol + " " + number,
        };
        return amount < 0 ? "-" + text : text;
    }

    private static string SymbolFor(string currency, CultureInfo culture)
    {
        if (!culture.IsNeutralCulture && culture.Name.Length > 0)
        {
            try
            {
                var region = new RegionInfo(culture.Name);
                if (string.Equals(region.ISOCurrencySymbol, currency, StringComparison.Ordinal))
                {
                    return culture.NumberFormat.CurrencySymbol;
                }
            }
            catch (ArgumentException)
            {
                // Culture without a region: fall back to the ISO code.
            }
        }

        return currency;
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
