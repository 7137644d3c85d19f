namespace HotelAgent.Core.Hotel;

/// <summary>
/// The room types guests hear about (names, capacities, descriptions) in lists and summaries. With the embedded PMS these are
/// the hotel profile's; with QloApps they are QloApps' own (a snapshot, so the deterministic dialog never does I/O).
/// </summary>
public interface IRoomCatalogue
{
    IReadOnlyList<RoomTypeProfile> RoomTypes { get; }
}

/// <summary>The hotel profile's room types (the embedded PMS is seeded from them).</summary>
public sealed class ProfileRoomCatalogue(HotelProfile profile) : IRoomCatalogue
{
    public IReadOnlyList<RoomTypeProfile> RoomTypes => profile.RoomTypes;
}
