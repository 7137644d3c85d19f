using HotelAgent.Functions.Hosting.Standalone;
using Microsoft.Extensions.Configuration;

namespace HotelAgent.Tests.Functions.Hosting;

public class NCrontabTests
{
    private static DateTime Utc(int y, int mo, int d, int h, int mi, int s) => new(y, mo, d, h, mi, s, DateTimeKind.Utc);

    private static List<DateTime> Next(string expression, DateTime from, int count)
    {
        var schedule = NCrontab.Parse(expression);
        var result = new List<DateTime>();
        for (var t = from; result.Count < count;)
        {
            t = schedule.NextAfter(t);
            result.Add(t);
        }

        return result;
    }

    [Fact]
    public void Every_two_minutes_fires_on_even_minutes_at_second_zero()
    {
        Assert.Equal(
            [Utc(2026, 11, 21, 10, 2, 0), Utc(2026, 11, 21, 10, 4, 0), Utc(2026, 11, 21, 10, 6, 0)],
            Next("0 */2 * * * *", Utc(2026, 11, 21, 10, 0, 0), 3));
        // Strictly after: an instant that is itself an occurrence yields the next one; sub-seconds are ignored.
        Assert.Equal(Utc(2026, 11, 21, 10, 2, 0), NCrontab.Parse("0 */2 * * * *").NextAfter(Utc(2026, 11, 21, 10, 0, 0).AddMilliseconds(500)));
    }

    [Fact]
    public void Ranges_lists_and_steps_combine()
    {
        // Seconds 0 and 30, minutes 10-12, hours 9 and 17.
        Assert.Equal(
            [Utc(2026, 1, 1, 9, 10, 0), Utc(2026, 1, 1, 9, 10, 30), Utc(2026, 1, 1, 9, 11, 0), Utc(2026, 1, 1, 9, 11, 30), Utc(2026, 1, 1, 9, 12, 0), Utc(2026, 1, 1, 9, 12, 30), Utc(2026, 1, 1, 17, 10, 0)],
            Next("*/30 10-12 9,17 * * *", Utc(2026, 1, 1, 0, 0, 0), 7));
        // a-b/n: hours 8, 11, 14, 17.
        Assert.Equal(
            [Utc(2026, 1, 1, 8, 0, 0), Utc(2026, 1, 1, 11, 0, 0), Utc(2026, 1, 1, 14, 0, 0), Utc(2026, 1, 1, 17, 0, 0), Utc(2026, 1, 2, 8, 0, 0)],
            Next("0 0 8-17/3 * * *", Utc(2026, 1, 1, 0, 0, 0), 5));
    }

    [Fact]
    public void Day_of_week_weekdays_and_sunday_as_zero_or_seven()
    {
        // 2026-11-21 is a Saturday: Monday-to-Friday 9:30 starts on Monday the 23rd.
        Assert.Equal(
            [Utc(2026, 11, 23, 9, 30, 0), Utc(2026, 11, 24, 9, 30, 0)],
            Next("0 30 9 * * 1-5", Utc(2026, 11, 21, 12, 0, 0), 2));
        Assert.Equal(Utc(2026, 11, 22, 0, 0, 0), NCrontab.Parse("0 0 0 * * 0").NextAfter(Utc(2026, 11, 21, 12, 0, 0)));
        Assert.Equal(Utc(2026, 11, 22, 0, 0, 0), NCrontab.Parse("0 0 0 * * 7").NextAfter(Utc(2026, 11, 21, 12, 0, 0)));
        // Friday to Sunday written with 7 (a range ending in 7 must not be mangled).
        Assert.Equal(
            [Utc(2026, 11, 22, 0, 0, 0), Utc(2026, 11, 27, 0, 0, 0), Utc(2026, 11, 28, 0, 0, 0), Utc(2026, 11, 29, 0, 0, 0)],
            Next("0 0 0 * * 5-7", Utc(2026, 11, 21, 12, 0, 0), 4));
    }

    [Fact]
    public void Day_of_month_and_month_fields_roll_over_years()
    {
        Assert.Equal(
            [Utc(2027, 1, 1, 0, 0, 0), Utc(2028, 1, 1, 0, 0, 0)],
            Next("0 0 0 1 1 *", Utc(2026, 11, 21, 0, 0, 0), 2));
        Assert.Equal(Utc(2028, 2, 29, 6, 0, 0), NCrontab.Parse("0 0 6 29 2 *").NextAfter(Utc(2026, 3, 1, 0, 0, 0)));
    }

    [Theory]
    [InlineData("*/2 * * * *")]
    [InlineData("0 */2 * * * * *")]
    [InlineData("60 * * * * *")]
    [InlineData("0 0 24 * * *")]
    [InlineData("0 0 0 0 * *")]
    [InlineData("0 0 0 * 13 *")]
    [InlineData("0 0 0 * * 8")]
    [InlineData("0 */0 * * * *")]
    [InlineData("0 5-1 * * * *")]
    [InlineData("0 1-2-3 * * * *")]
    [InlineData("0 1,,2 * * * *")]
    [InlineData("x * * * * *")]
    [InlineData("")]
    public void Invalid_expressions_throw_format_exception(string expression) =>
        Assert.Throws<FormatException>(() => NCrontab.Parse(expression));

    [Fact]
    public void Resolve_schedule_reads_percent_settings_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Email:PollSchedule"] = "0 */5 * * * *" }).Build();

        Assert.Equal("0 */5 * * * *", StandaloneTimerScheduler.ResolveSchedule("%Email__PollSchedule%", configuration));
        Assert.Equal("0 0 * * * *", StandaloneTimerScheduler.ResolveSchedule("0 0 * * * *", configuration));
        var missing = Assert.Throws<InvalidOperationException>(() => StandaloneTimerScheduler.ResolveSchedule("%Nope__Schedule%", configuration));
        Assert.Contains("Nope__Schedule", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_email_default_poll_schedule_parses_and_fires_every_two_minutes()
    {
        var schedule = StandaloneTimerScheduler.ResolveSchedule("%Email__PollSchedule%",
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Email__PollSchedule"] = new Core.Channels.Email.EmailOptions().PollSchedule }).Build());
        Assert.Equal(Utc(2026, 11, 21, 10, 2, 0), NCrontab.Parse(schedule).NextAfter(Utc(2026, 11, 21, 10, 0, 30)));
    }
}
