using HotelAgent.Core.Hotel;
using HotelAgent.Tests.Infra;

namespace HotelAgent.Tests.Hotel;

public sealed class HotelProfilePreloadTests
{
    [Fact]
    public void The_preloaded_profile_is_used_when_the_path_matches()
    {
        var preload = new HotelProfilePreload();
        preload.Start(null);

        var first = preload.Get("");
        Assert.Equal("Hotel Palermo Soho", first.Name);
        // The same parsed instance every time: HotelProfile.Load would build a new one.
        Assert.Same(first, preload.Get(null));
    }

    [Fact]
    public void Another_path_than_the_preloaded_one_is_loaded_from_that_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ha-profile-{Guid.NewGuid():N}.json");
        var json = File.ReadAllText(Path.Combine(RepoRoot.Path, "src", "HotelAgent.Core", "Hotel", "sample-hotel.json"))
            .Replace("\"name\": \"Hotel Palermo Soho\"", "\"name\": \"Hotel Preload Test\"", StringComparison.Ordinal);
        File.WriteAllText(path, json);
        try
        {
            var preload = new HotelProfilePreload();
            preload.Start(null);

            Assert.Equal("Hotel Preload Test", preload.Get(path).Name);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_failed_preload_reports_the_same_error_as_loading_directly()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"ha-missing-{Guid.NewGuid():N}.json");
        var preload = new HotelProfilePreload();
        preload.Start(missing);

        Assert.Throws<FileNotFoundException>(() => preload.Get(missing));
    }
}
