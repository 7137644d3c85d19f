using HotelAgent.Functions.Hosting.Standalone;
using Microsoft.Extensions.Configuration;

namespace HotelAgent.Tests.Functions.Hosting;

/// <summary>Standalone timers: <c>%Setting%</c> schedules resolved as the Functions host does, NCRONTAB parsed by NCrontab.</summary>
public sealed class StandaloneScheduleTests
{
    private static DateTime Utc(int y, int mo, int d, int h, int mi, int s) => new(y, mo, d, h, mi, s, DateTimeKind.Utc);

    [Fact]
    public void Percent_settings_resolve_from_configuration_with_a_default_for_the_email_poll_and_an_error_otherwise()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Email:PollSchedule"] = "0 */5 * * * *" }).Build();

        Assert.Equal("0 */5 * * * *", StandaloneFunctions.ResolveSchedule("%Email__PollSchedule%", configuration));
        Assert.Equal("0 0 * * * *", StandaloneFunctions.ResolveSchedule("0 0 * * * *", configuration));
        Assert.Equal("0 */2 * * * *", StandaloneFunctions.ResolveSchedule("%Email__PollSchedule%", new ConfigurationBuilder().Build()));
        var missing = Assert.Throws<InvalidOperationException>(() => StandaloneFunctions.ResolveSchedule("%Nope__Schedule%", configuration));
        Assert.Contains("Nope__Schedule", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Six_field_schedules_have_seconds_and_five_field_ones_do_not()
    {
        Assert.Equal(Utc(2026, 11, 21, 10, 2, 0), StandaloneFunctions.ParseSchedule("0 */2 * * * *").GetNextOccurrence(Utc(2026, 11, 21, 10, 0, 30)));
        Assert.Equal(Utc(2026, 11, 21, 10, 0, 45), StandaloneFunctions.ParseSchedule("*/15 * * * * *").GetNextOccurrence(Utc(2026, 11, 21, 10, 0, 30)));
        Assert.Equal(Utc(2026, 11, 21, 11, 0, 0), StandaloneFunctions.ParseSchedule("0 * * * *").GetNextOccurrence(Utc(2026, 11, 21, 10, 0, 30)));
        Assert.Throws<NCrontab.CrontabException>(() => StandaloneFunctions.ParseSchedule("every two minutes"));
    }
}
