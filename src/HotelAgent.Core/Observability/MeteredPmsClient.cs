using System.Diagnostics;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Pms.Resilience;
using Polly.CircuitBreaker;

namespace HotelAgent.Core.Observability;

/// <summary>
/// Records <c>hotelagent.pms.latency</c> (operation, outcome) for every PMS call and publishes the circuit state as
/// <c>hotelagent.pms.circuit_state</c>, around the resilient PMS client.
/// </summary>
public sealed class MeteredPmsClient : IPmsClient, IDisposable
{
    private readonly IPmsClient _inner;
    private readonly HotelAgentMetrics _metrics;
    private readonly IDisposable _circuit;

    public MeteredPmsClient(IPmsClient inner, HotelAgentMetrics metrics, PmsHealth health)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(health);
        _inner = inner;
        _metrics = metrics;
        _circuit = metrics.RegisterCircuit("pms", () => health.State switch
        {
            CircuitState.Open => CircuitStateLevel.Open,
            CircuitState.HalfOpen => CircuitStateLevel.HalfOpen,
            CircuitState.Isolated => CircuitStateLevel.Isolated,
            _ => CircuitStateLevel.Closed,
        });
    }

    public Task<IReadOnlyList<RoomTypeInfo>> GetRoomTypesAsync(CancellationToken cancellationToken = default) =>
        MeasureAsync("room_types", () => _inner.GetRoomTypesAsync(cancellationToken));

    public Task<IReadOnlyList<RoomOffer>> SearchAvailabilityAsync(StayQuery query, CancellationToken cancellationToken = default) =>
        MeasureAsync("search_availability", () => _inner.SearchAvailabilityAsync(query, cancellationToken));

    public Task<IReadOnlyList<RoomTypeAvailability>> GetAvailabilityCalendarAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        MeasureAsync("availability_calendar", () => _inner.GetAvailabilityCalendarAsync(from, to, cancellationToken));

    public Task<Reservation> CreateReservationAsync(NewReservation reservation, CancellationToken cancellationToken = default) =>
        MeasureAsync("create_reservation", () => _inner.CreateReservationAsync(reservation, cancellationToken));

    public Task<Reservation> GetReservationAsync(string reference, CancellationToken cancellationToken = default) =>
        MeasureAsync("get_reservation", () => _inner.GetReservationAsync(reference, cancellationToken));

    public Task<IReadOnlyList<Reservation>> FindReservationsByContactAsync(string contact, CancellationToken cancellationToken = default) =>
        MeasureAsync("find_reservations", () => _inner.FindReservationsByContactAsync(contact, cancellationToken));

    public Task<IReadOnlyList<Reservation>> ListReservationsAsync(ReservationFilter? filter = null, CancellationToken cancellationToken = default) =>
        MeasureAsync("list_reservations", () => _inner.ListReservationsAsync(filter, cancellationToken));

    public Task<Reservation> ModifyReservationAsync(string reference, ReservationChange change, CancellationToken cancellationToken = default) =>
        MeasureAsync("modify_reservation", () => _inner.ModifyReservationAsync(reference, change, cancellationToken));

    public Task<CancellationOutcome> CancelReservationAsync(string reference, string idempotencyKey, CancellationToken cancellationToken = default) =>
        MeasureAsync("cancel_reservation", () => _inner.CancelReservationAsync(reference, idempotencyKey, cancellationToken));

    public void Dispose() => _circuit.Dispose();

    private async Task<T> MeasureAsync<T>(string operation, Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            return await call();
        }
        catch (PmsUnavailableException)
        {
            outcome = "unavailable";
            throw;
        }
        catch (PmsException)
        {
            outcome = "rejected";
            throw;
        }
        catch
        {
            outcome = "error";
            throw;
        }
        finally
        {
            _metrics.RecordPmsCall(operation, outcome, Stopwatch.GetElapsedTime(started));
        }
    }
}
