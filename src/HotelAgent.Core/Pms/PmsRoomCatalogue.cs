using HotelAgent.Core.Hotel;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotelAgent.Core.Pms;

/// <summary>
/// The PMS's room types as a snapshot for <see cref="IRoomCatalogue"/> (used with QloApps, whose room types, names and
/// capacities are not the hotel profile's). Loaded when created and refreshed in the background after
/// <paramref name="refreshAfter"/>; the first read waits up to <paramref name="firstLoadWait"/> for the first load, and until
/// one succeeds the hotel profile's room types stand in.
/// </summary>
public sealed partial class PmsRoomCatalogue : IRoomCatalogue
{
    private readonly IPmsClient _pms;
    private readonly HotelProfile _profile;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshAfter;
    private readonly TimeSpan _firstLoadWait;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private volatile Snapshot? _snapshot;
    private Task? _loading;
    private int _waited;

    public PmsRoomCatalogue(IPmsClient pms, HotelProfile profile, TimeProvider time, TimeSpan refreshAfter, TimeSpan firstLoadWait, ILogger<PmsRoomCatalogue>? logger = null)
    {
        _pms = pms ?? throw new ArgumentNullException(nameof(pms));
        _profile = profile ?? throw new ArgumentNullException(nameof(profile));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _refreshAfter = refreshAfter;
        _firstLoadWait = firstLoadWait;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        StartLoading();
    }

    public IReadOnlyList<RoomTypeProfile> RoomTypes
    {
        get
        {
            var snapshot = _snapshot;
            if (snapshot is null)
            {
                // Blocking on purpose, once per process: the dialog is synchronous about facts it holds (no I/O inside the
                // orchestration). Later reads never wait: a PMS that is down must not slow every turn.
                var loading = StartLoading();
                if (Interlocked.Exchange(ref _waited, 1) == 0)
                {
                    loading.Wait(_firstLoadWait);
                }

                return _snapshot?.Types ?? _profile.RoomTypes;
            }

            if (_time.GetUtcNow() - snapshot.LoadedAt >= _refreshAfter)
            {
                StartLoading();
            }

            return snapshot.Types;
        }
    }

    private Task StartLoading()
    {
        lock (_gate)
        {
            if (_loading is null || _loading.IsCompleted)
            {
                _loading = Task.Run(LoadAsync);
            }

            return _loading;
        }
    }

    private async Task LoadAsync()
    {
        try
        {
            var types = await _pms.GetRoomTypesAsync();
            _snapshot = new Snapshot(_time.GetUtcNow(), types.Select(t => new RoomTypeProfile
            {
                Code = t.Code,
                Name = t.Name,
                Description = t.Description,
                Capacity = t.Capacity,
                Inventory = t.Inventory,
                NightlyRate = t.NightlyRate,
                Includes = t.Includes,
            }).ToList());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A failed load never breaks the dialog: the last snapshot (or the hotel profile's room types) stands.
            LogLoadFailed(_logger, e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 5030, Level = LogLevel.Warning, Message = "Room types could not be read from the PMS ({Error}); guests hear the last known ones (or the hotel profile's)")]
    private static partial void LogLoadFailed(ILogger logger, string error);

    private sealed record Snapshot(DateTimeOffset LoadedAt, IReadOnlyList<RoomTypeProfile> Types);
}
