using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms;

namespace HotelAgent.Core.Security;

/// <summary>What the dialog asks for: the asking identity and the references it proved with a code in this conversation.</summary>
public sealed record ReservationLookup(Channel Channel, string GuestId, IReadOnlyList<string> VerifiedReferences)
{
    public GuestIdentity Identity => new(Channel, GuestId);
}

/// <summary>
/// The only way the dialog finds existing bookings: the PMS's contact search gives candidates, and
/// <see cref="ReservationAccessPolicy"/> keeps those that belong to the asking identity; references verified with a code
/// in this conversation are added by reference.
/// </summary>
public static class GuestReservations
{
    public static async Task<IReadOnlyList<AccessibleReservation>> FindAsync(IPmsClient pms, ReservationLookup lookup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pms);
        ArgumentNullException.ThrowIfNull(lookup);
        var identity = lookup.Identity;
        var verified = new HashSet<string>(lookup.VerifiedReferences.Select(ReservationReference.Normalize), StringComparer.Ordinal);
        var result = new List<AccessibleReservation>();
        foreach (var candidate in await pms.FindReservationsByContactAsync(identity.Id, cancellationToken))
        {
            if (ReservationAccessPolicy.AccessOf(identity, candidate) is { } access)
            {
                result.Add(new AccessibleReservation(candidate, verified.Contains(candidate.Reference) ? ReservationAccess.Verified : access));
            }
        }

        foreach (var reference in verified.Where(v => result.All(r => !string.Equals(r.Reservation.Reference, v, StringComparison.Ordinal))))
        {
            try
            {
                result.Add(new AccessibleReservation(await pms.GetReservationAsync(reference, cancellationToken), ReservationAccess.Verified));
            }
            catch (ReservationNotFoundException)
            {
                // Gone from the PMS since it was verified: nothing to show.
            }
        }

        return result;
    }
}
