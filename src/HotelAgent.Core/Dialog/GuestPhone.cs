using System.Globalization;
using PhoneNumbers;

namespace HotelAgent.Core.Dialog;

/// <summary>A phone number typed by a guest ("11 5555-1234", "+54 9 11 5555 1234", "mi cel es 0351 15 555 1234"), validated.</summary>
internal static class GuestPhone
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// The first valid phone number in <paramref name="text"/> in E.164, read with the hotel's country as the default region
    /// (numbers without a country code are local), other than <paramref name="notThis"/> (the hotel's own number, which an
    /// email reply may quote); null when there is none.
    /// </summary>
    public static string? Find(string? text, string hotelCulture, string? notThis = null)
    {
        if (string.IsNullOrWhiteSpace(text) || !text.Any(char.IsAsciiDigit))
        {
            return null;
        }

        var region = Region(hotelCulture);
        var excluded = notThis is null ? null : Find(notThis, hotelCulture);
        foreach (var match in Util.FindNumbers(text, region, PhoneNumberUtil.Leniency.VALID, long.MaxValue))
        {
            var phone = Util.Format(match.Number, PhoneNumberFormat.E164);
            if (!string.Equals(phone, excluded, StringComparison.Ordinal))
            {
                return phone;
            }
        }

        return null;
    }

    private static string Region(string culture)
    {
        try
        {
            return new RegionInfo(CultureInfo.GetCultureInfo(culture).Name).TwoLetterISORegionName;
        }
        catch (ArgumentException)
        {
            return "AR";
        }
    }
}
