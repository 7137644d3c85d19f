using Microsoft.Extensions.Time.Testing;
using HotelAgent.Core.Analytics;

namespace HotelAgent.Tests.Analytics;

public sealed class StatsRangeTests
{
    private static readonly DateOnly Today = new(2026, 11, 21);

    [Fact]
    public void Defaults_to_the_last_seven_days_ending_today()
        => Assert.Equal((new DateOnly(2026, 11, 15), Today), StatsRange.Resolve(null, "", Today));

    [Fact]
    public void Missing_from_counts_back_from_to()
        => Assert.Equal((new DateOnly(2026, 10, 29), new DateOnly(2026, 10, 31)), StatsRange.Resolve(null, "2026-10-31", Today, defaultDays: 3));

    [Fact]
    public void Explicit_dates_are_used_as_given()
        => Assert.Equal((new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 31)), StatsRange.Resolve("2026-01-01", " 2026-01-31 ", Today));

    [Theory]
    [InlineData("21/11/2026", null)]
    [InlineData("2026-13-01", null)]
    [InlineData("2026-11-22", "2026-11-21")]
    public void Bad_input_is_an_argument_error(string? from, string? to)
        => Assert.Throws<ArgumentException>(() => StatsRange.Resolve(from, to, Today));

    [Fact]
    public void Today_uses_the_hotel_time_zone()
    {
        var lateUtc = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 23, 30, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 11, 22), StatsRange.Today(lateUtc, "Europe/Madrid"));
        Assert.Equal(new DateOnly(2026, 11, 21), StatsRange.Today(lateUtc, "No/Such_Zone"));
    }

}
