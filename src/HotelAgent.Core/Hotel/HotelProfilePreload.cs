namespace HotelAgent.Core.Hotel;

/// <summary>
/// Parses the hotel profile on a thread-pool thread ahead of its first use (issue 19: start-up). The first
/// <see cref="HotelProfile"/> is resolved on the start path (options post-configuration reads the hotel's time zone), and
/// the first System.Text.Json deserialization of the profile's ~15 types costs tens of ms of type loading and JIT there;
/// started when the host is being built, it overlaps with the host build on the second core instead.
/// Speculative only: <see cref="Get"/> returns the preloaded profile when it was loaded from the same path the options
/// name, and otherwise (another path, or the preload failed) loads it as before, so errors surface unchanged.
/// </summary>
public sealed class HotelProfilePreload
{
    private string? _path;
    private Task<HotelProfile>? _loading;

    /// <summary>Starts parsing the profile at <paramref name="path"/> (the embedded sample hotel when null or empty).</summary>
    public void Start(string? path)
    {
        _path = path;
        _loading = Task.Run(() => HotelProfile.Load(path));
    }

    /// <summary>The profile at <paramref name="path"/>: the preloaded one when it matches, otherwise loaded now.</summary>
    public HotelProfile Get(string? path)
    {
        if (_loading is { } loading && string.Equals(Normalize(_path), Normalize(path), StringComparison.Ordinal))
        {
            try
            {
                return loading.GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Loaded again below, on the caller's thread, so the caller sees the error as it always did.
            }
        }

        return HotelProfile.Load(path);
    }

    private static string? Normalize(string? path) => string.IsNullOrWhiteSpace(path) ? null : path;
}
