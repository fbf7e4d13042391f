import WeirCore

/// `DISTANCE(a, b)`: great-circle distance in kilometres between two `{lat, lon}` objects
/// (degrees), by the haversine formula on a sphere of radius 6371.0088 km (the IUGG mean radius).
enum GeoFunctions {
    static let earthRadiusKm = 6371.0088

    static let all: [Function] = [
        Function("DISTANCE", "DISTANCE(a: {lat, lon}, b: {lat, lon}) -> double kilometres", arity: 2...2, [.any, .any], returns: .double, weirOnly: true) { args in
            guard let a = point(args[0]), let b = point(args[1]) else { return .error(.functionEvaluation) }
            return .double(haversine(a, b))
        },
    ]

    /// Latitude and longitude in degrees from an object with numeric `lat` and `lon` in range.
    static func point(_ v: Val) -> (lat: Double, lon: Double)? {
        guard case .object(let o) = v, let lat = number(o["lat"]), let lon = number(o["lon"]),
            abs(lat) <= 90, abs(lon) <= 180
        else { return nil }
        return (lat, lon)
    }

    /// A number read in place.
    static func number(_ v: Val) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .long(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    static func number(_ v: JSONValue?) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    static func haversine(_ a: (lat: Double, lon: Double), _ b: (lat: Double, lon: Double)) -> Double {
        let rad = Double.pi / 180
        let dLat = (b.lat - a.lat) * rad
        let dLon = (b.lon - a.lon) * rad
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(a.lat * rad) * cos(b.lat * rad) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * earthRadiusKm * asin(min(1, h.squareRoot()))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
