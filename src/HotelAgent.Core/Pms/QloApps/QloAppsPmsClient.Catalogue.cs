using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HotelAgent.Core.Hotel;

namespace HotelAgent.Core.Pms.QloApps;

/// <summary>Room types, occupancy limits, inventory, prices and currency as QloApps knows them.</summary>
public sealed partial class QloAppsPmsClient
{
    private async Task<CatalogueSnapshot> CatalogueAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        if (_catalogue is { } c && now - c.LoadedAt < CatalogueTtl)
        {
            return c;
        }

        // The reads are independent: run them together to keep the first guest turn short. The ARI search for one night gives
        // QloApps' currency and each type's nightly price as quotes will show it (tax and auto-added services included).
        var tomorrow = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, CancellationPolicy.HotelTimeZone(_profile)).DateTime).AddDays(1);
        var roomsTask = SendAsync(HttpMethod.Get, "api/hotel_rooms?display=full", null, ct);
        var occupancyTask = LoadOccupancyAsync(ct);
        var typesTask = SendAsync(HttpMethod.Get, "api/room_types?display=full", null, ct);
        var ariTask = SearchAriAsync(tomorrow, tomorrow.AddDays(1), null, null, ct);
        try
        {
            await Task.WhenAll(roomsTask, occupancyTask, typesTask, ariTask);
        }
        catch
        {
            foreach (var t in new[] { roomsTask, typesTask })
            {
                if (t.IsCompletedSuccessfully)
                {
                    t.Result.Dispose();
                }
            }

            throw;
        }

        var inventory = new Dictionary<int, int>();
        using (var rooms = roomsTask.Result)
        {
            // Real QloApps lists hotel_rooms under "rooms".
            foreach (var room in (rooms.RootElement.Prop("rooms") ?? rooms.RootElement.Prop("hotel_rooms")).Items())
            {
                if (room.Int("id_hotel") == _options.HotelId)
                {
                    var id = room.Int("id_product");
                    inventory[id] = inventory.GetValueOrDefault(id) + 1;
                }
            }
        }

        var occupancy = occupancyTask.Result;
        var ari = ariTask.Result;
        using var doc = typesTask.Result;
        var types = new List<QloRoomType>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rt in doc.RootElement.Prop("room_types").Items())
        {
            var id = rt.Int("id");
            var hotel = rt.Int("id_hotel", _options.HotelId);
            if (hotel != _options.HotelId || rt.Str("active") == "0")
            {
                continue;
            }

            var name = rt.Str("name") ?? "#" + id.ToString(CultureInfo.InvariantCulture);
            var code = MapCode(id, name, out var profile);
            if (code is null || !used.Add(code))
            {
                // Not one of the canonical codes the NLU knows: still offered (guests pick it from the list), under its own code.
                code = UniqueSlug(rt.Str("link_rewrite") ?? name, id, used);
                profile = null;
                Log.QloUnmappedRoomType(_logger, id, name, code);
            }

            var limits = occupancy.GetValueOrDefault(id);
            var capacity = AdultCapacity(limits, rt.Int("adults"), rt.Int("children"));
            var nightly = ari.Rows.FirstOrDefault(r => r.IdProduct == id)?.NightlyWithTax ?? rt.Dec("price") ?? 0;
            types.Add(new QloRoomType(id, code, name, PlainText(rt.Str("description_short")) ?? profile?.Description ?? name, capacity, inventory.GetValueOrDefault(id),
                Normalize(nightly), profile?.Includes ?? []));
        }

        var snapshot = new CatalogueSnapshot(now, types, ResolveCurrency(ari.Currency));
        _catalogue = snapshot;
        return snapshot;
    }

    /// <summary>
    /// How many guests (all adults: HotelAgent books no children) one room holds: <c>max_adults</c>, bounded by <c>max_guests</c>.
    /// QloApps' webservice does not enforce these limits itself (a 4-adult booking in a 2-adult room is accepted), so this is
    /// the only check. Without access to hotel_room_types, the room type's base occupancy.
    /// </summary>
    private static int AdultCapacity(OccupancyLimits? limits, int baseAdults, int baseChildren)
    {
        if (limits is { } l && (l.MaxAdults > 0 || l.MaxGuests > 0))
        {
            var adults = l.MaxAdults > 0 ? l.MaxAdults : l.MaxGuests;
            return Math.Max(1, l.MaxGuests > 0 ? Math.Min(adults, l.MaxGuests) : adults);
        }

        return Math.Max(1, baseAdults > 0 ? baseAdults : baseAdults + baseChildren);
    }

    /// <summary>Occupancy limits live in hotel_room_types (htl_room_type); room_types only has the base adults/children.</summary>
    private async Task<Dictionary<int, OccupancyLimits>> LoadOccupancyAsync(CancellationToken ct)
    {
        var limits = new Dictionary<int, OccupancyLimits>();
        try
        {
            using var occupancy = await SendAsync(HttpMethod.Get, "api/hotel_room_types?display=full", null, ct);
            foreach (var hrt in occupancy.RootElement.Prop("hotel_room_types").Items())
            {
                limits[hrt.Int("id_product")] = new OccupancyLimits(hrt.Int("max_adults"), hrt.Int("max_children"), hrt.Int("max_guests"));
            }
        }
        catch (PmsRequestRejectedException)
        {
            // The key may not be allowed to read hotel_room_types: fall back to the base occupancy of room_types.
        }

        return limits;
    }

    /// <summary>QloApps' currency (hotel_ari reports the shop's default currency, the one its prices are in).</summary>
    private string ResolveCurrency(string? reported)
    {
        var pinned = string.IsNullOrWhiteSpace(_options.Currency) ? null : _options.Currency.Trim().ToUpperInvariant();
        if (reported is null)
        {
            return pinned ?? _catalogue?.Currency ?? throw new QloAppsServerException(QloFailure.ServerError, "QloApps did not report its currency (hotel_ari).");
        }

        if (pinned is not null && !string.Equals(pinned, reported, StringComparison.Ordinal))
        {
            // Quoting in one currency and booking in another is never right: refuse until the settings agree.
            Log.QloCurrencyMismatch(_logger, pinned, reported);
            throw new PmsRequestRejectedException(400, $"Pms__QloApps__Currency is {pinned} but QloApps prices in {reported}: set Pms__QloApps__Currency={reported} (or leave it empty).");
        }

        return reported;
    }

    private async Task<AriResult> SearchAriAsync(DateOnly from, DateOnly to, int? adults, int? idProduct, CancellationToken ct)
    {
        var xml = new StringBuilder();
        xml.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?><qloapps><hotel_ari>");
        xml.Append(CultureInfo.InvariantCulture, $"<id_hotel>{_options.HotelId}</id_hotel>");
        if (idProduct is { } id)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<id_room_type>{id}</id_room_type>");
        }

        xml.Append(CultureInfo.InvariantCulture, $"<date_from>{from:yyyy-MM-dd}</date_from><date_to>{to:yyyy-MM-dd}</date_to>");
        xml.Append("<get_available_rooms>1</get_available_rooms>");
        if (adults is { } a)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<associations><room_occupancies><room_occupancy><adults>{a}</adults><children>0</children></room_occupancy></room_occupancies></associations>");
        }

        xml.Append("</hotel_ari></qloapps>");
        using var doc = await SendAsync(HttpMethod.Post, "api/hotel_ari", xml.ToString(), ct);
        var ari = doc.RootElement.Prop("hotel_ari") ?? throw new QloAppsServerException(QloFailure.ServerError, "QloApps sent an unexpected answer for hotel_ari.");
        var rows = new List<AriRow>();
        foreach (var rt in ari.Prop("room_types").Items())
        {
            var total = rt.Dec("total_price_with_tax") ?? rt.Dec("total_price")
                ?? throw new QloAppsServerException(QloFailure.ServerError, "QloApps sent a room type without a price (hotel_ari).");
            var available = rt.Prop("rooms") is { } r ? r.Prop("available").Count() : 0;
            rows.Add(new AriRow(rt.Int("id_room_type"), available, total, rt.Dec("base_price_with_tax")));
        }

        return new AriResult(ari.Str("currency")?.ToUpperInvariant(), rows);
    }

    /// <summary>
    /// The canonical code of a QloApps room type (what the NLU understands): the settings map first, then the hotel profile's
    /// names, then keywords. <paramref name="profile"/> is the hotel profile entry that describes this very room (its
    /// "includes"), only when the hotel said so — mapped in the settings or named alike; a keyword guess claims nothing.
    /// </summary>
    internal string? MapCode(int idProduct, string name, out RoomTypeProfile? profile)
    {
        profile = null;
        if (_options.RoomTypeMap.TryGetValue(idProduct.ToString(CultureInfo.InvariantCulture), out var mapped) && !string.IsNullOrWhiteSpace(mapped))
        {
            var code = mapped.Trim().ToLowerInvariant();
            profile = _profile.RoomTypes.FirstOrDefault(p => p.Code.Equals(code, StringComparison.OrdinalIgnoreCase));
            return code;
        }

        var n = RemoveDiacritics(name).ToLowerInvariant();
        foreach (var p in _profile.RoomTypes)
        {
            if (RemoveDiacritics(p.Name).Equals(n, StringComparison.OrdinalIgnoreCase))
            {
                profile = p;
                return p.Code;
            }
        }

        (string Code, string[] Words)[] rules =
        [
            ("suite", ["suite"]),
            ("ejecutiva", ["ejecutiv", "executive", "business"]),
            ("familiar", ["familiar", "family", "cuadruple", "quadruple"]),
            ("triple", ["triple"]),
            ("doble", ["doble", "double", "twin", "matrimonial", "delux", "superior"]),
            ("simple", ["simple", "single", "individual", "standard"]),
        ];
        foreach (var (code, words) in rules)
        {
            if (words.Any(w => n.Contains(w, StringComparison.Ordinal)))
            {
                return code;
            }
        }

        return null;
    }

    private static string UniqueSlug(string text, int idProduct, HashSet<string> used)
    {
        var slug = SlugRegex().Replace(RemoveDiacritics(text).ToLowerInvariant(), "-").Trim('-');
        if (slug.Length == 0 || !used.Add(slug))
        {
            slug = "qlo-" + idProduct.ToString(CultureInfo.InvariantCulture);
            used.Add(slug);
        }

        return slug;
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex SlugRegex();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex TagRegex();

    private static string? PlainText(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return null;
        }

        var text = WebUtility.HtmlDecode(TagRegex().Replace(html, " "));
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length == 0 ? null : text;
    }

    private static string RemoveDiacritics(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(normalized.Length);
        foreach (var ch in normalized)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark)
            {
                sb.Append(ch);
            }
        }

        return sb.ToString();
    }

    private QloRoomType? TypeByCode(CatalogueSnapshot catalogue, string code) =>
        catalogue.Types.FirstOrDefault(t => t.Code.Equals(code, StringComparison.OrdinalIgnoreCase));

    /// <summary>QloApps' prices come as "1000.000000": 1000 is what guests and staff should see.</summary>
    private static decimal Normalize(decimal amount) => amount / 1.0000000000000000000000000000m;

    private sealed record QloRoomType(int IdProduct, string Code, string Name, string Description, int Capacity, int Inventory, decimal NightlyRate, IReadOnlyList<string> Includes);

    private sealed record OccupancyLimits(int MaxAdults, int MaxChildren, int MaxGuests);

    private sealed record AriRow(int IdProduct, int Available, decimal Total, decimal? NightlyWithTax);

    private sealed record AriResult(string? Currency, IReadOnlyList<AriRow> Rows);

    private sealed record CatalogueSnapshot(DateTimeOffset LoadedAt, IReadOnlyList<QloRoomType> Types, string Currency);
}
