using Microsoft.Extensions.Logging;

namespace HotelAgent.Core.Pms;

internal static partial class Log
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Embedded PMS ready at {Path}: {RoomTypes} room types synced from the hotel profile")]
    public static partial void EmbeddedReady(ILogger logger, string path, int roomTypes);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Reservation {Reference} created: {RoomType} {CheckIn:yyyy-MM-dd}..{CheckOut:yyyy-MM-dd} for {Contact}")]
    public static partial void ReservationCreated(ILogger logger, string reference, string roomType, DateOnly checkIn, DateOnly checkOut, string contact);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Reservation {Reference} modified: {RoomType} {CheckIn:yyyy-MM-dd}..{CheckOut:yyyy-MM-dd}")]
    public static partial void ReservationModified(ILogger logger, string reference, string roomType, DateOnly checkIn, DateOnly checkOut);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Reservation {Reference} cancelled (free: {Free})")]
    public static partial void ReservationCancelled(ILogger logger, string reference, bool free);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Create replayed for an existing idempotency key: reservation {Reference}")]
    public static partial void CreateReplayed(ILogger logger, string reference);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "PMS call {Operation} failed transiently (attempt {Attempt})")]
    public static partial void TransientFailure(ILogger logger, Exception? exception, string operation, int attempt);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "PMS circuit opened for {BreakSeconds} s")]
    public static partial void CircuitOpened(ILogger logger, double breakSeconds);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Information, Message = "PMS circuit closed: the PMS answers again")]
    public static partial void CircuitClosed(ILogger logger);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Warning, Message = "PMS unavailable for {Operation}: {Reason}")]
    public static partial void Unavailable(ILogger logger, string operation, string reason);

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "QloApps room type {IdProduct} ({Name}) matches no canonical code: offered as {Code} (set Pms__QloApps__RoomTypeMap__{IdProduct} to map it)")]
    public static partial void QloUnmappedRoomType(ILogger logger, int idProduct, string name, string code);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Warning, Message = "QloApps answered {Status} for {Resource}")]
    public static partial void QloHttpError(ILogger logger, int status, string resource);

    [LoggerMessage(EventId = 5022, Level = LogLevel.Warning, Message = "QloApps answered {Status} for {Resource} with {Count} PHP warning(s): set error_reporting = E_ALL & ~E_WARNING & ~E_NOTICE & ~E_DEPRECATED for its webservice (docs/pms.md)")]
    public static partial void QloPhpWarnings(ILogger logger, int status, string resource, int count);

    [LoggerMessage(EventId = 5023, Level = LogLevel.Error, Message = "Pms__QloApps__Currency is {Configured} but QloApps prices in {Reported}: quotes and bookings are refused until they agree")]
    public static partial void QloCurrencyMismatch(ILogger logger, string configured, string reported);

    [LoggerMessage(EventId = 5024, Level = LogLevel.Warning, Message = "QloApps create failed ({Failure}): looking for the order by its idempotency key")]
    public static partial void QloCreateFailed(ILogger logger, string failure);

    [LoggerMessage(EventId = 5025, Level = LogLevel.Warning, Message = "QloApps kept {Stored} guest(s) on {Reference} instead of {Requested}: it ignores a guest-count-only change")]
    public static partial void QloGuestCountNotApplied(ILogger logger, string reference, int requested, int stored);
}
