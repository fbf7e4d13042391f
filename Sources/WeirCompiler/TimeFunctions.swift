import WeirCore

/// Time helpers over RFC 3339 strings (a Weir extension; CESQL has no time type). Instants are
/// read with any offset and computed in UTC; durations are milliseconds or duration text
/// (`'90s'`, `'1h30m'`). An unreadable timestamp or duration is a functionEvaluation error.
enum TimeFunctions {
    static let all: [Function] = [
        Function("UNIX_MILLIS", "UNIX_MILLIS(t: String) -> milliseconds since 1970-01-01T00:00:00Z", arity: 1...1, [.string], returns: .long, weirOnly: true) { args in
            instant(args[0]).map { .long($0.milliseconds) } ?? .error(.functionEvaluation)
        },
        Function("UNIX_SECONDS", "UNIX_SECONDS(t: String) -> seconds since 1970-01-01T00:00:00Z", arity: 1...1, [.string], returns: .long, weirOnly: true) { args in
            instant(args[0]).map { .long($0.seconds) } ?? .error(.functionEvaluation)
        },
        Function("FROM_UNIX_MILLIS", "FROM_UNIX_MILLIS(ms) -> RFC 3339 String in UTC", arity: 1...1, [.number], returns: .string, weirOnly: true) { args in
            guard let ms = integral(args[0]) else { return .error(.functionEvaluation) }
            return text(Timestamp(milliseconds: ms))
        },
        Function("TIME_DIFF", "TIME_DIFF(a: String, b: String) -> milliseconds from b to a", arity: 2...2, [.string, .string], returns: .long, weirOnly: true) { args in
            guard let a = instant(args[0]), let b = instant(args[1]) else { return .error(.functionEvaluation) }
            let (d, o) = a.milliseconds.subtractingReportingOverflow(b.milliseconds)
            return o ? .error(.math) : .long(d)
        },
        Function("TIME_ADD", "TIME_ADD(t: String, d: duration) -> RFC 3339 String in UTC", arity: 2...2, [.string, .any], returns: .string, weirOnly: true) { args in
            guard let t = instant(args[0]), let d = duration(args[1]) else { return .error(.functionEvaluation) }
            let (ms, o) = t.milliseconds.addingReportingOverflow(d)
            if o { return .error(.math) }
            var out = Timestamp(milliseconds: ms)
            out.nanoseconds += t.nanoseconds % 1_000_000
            return text(out)
        },
        Function("TIME_BEFORE", "TIME_BEFORE(a: String, b: String) -> Boolean: a is earlier than b", arity: 2...2, [.string, .string], returns: .bool, weirOnly: true) { args in
            guard let a = instant(args[0]), let b = instant(args[1]) else { return .error(.functionEvaluation) }
            return .bool(a < b)
        },
        Function("TIME_AFTER", "TIME_AFTER(a: String, b: String) -> Boolean: a is later than b", arity: 2...2, [.string, .string], returns: .bool, weirOnly: true) { args in
            guard let a = instant(args[0]), let b = instant(args[1]) else { return .error(.functionEvaluation) }
            return .bool(a > b)
        },
        Function("DURATION_MS", "DURATION_MS(d: String) -> milliseconds of '250ms', '30s', '10m', '1h', '7d', '1h30m'", arity: 1...1, [.any], returns: .long, weirOnly: true) { args in
            duration(args[0]).map { .long($0) } ?? .error(.functionEvaluation)
        },
        field("YEAR", "year") { $0.year },
        field("MONTH", "month, 1-12") { $0.month },
        field("DAY", "day of the month, 1-31") { $0.day },
        field("HOUR", "hour, 0-23") { $0.hour },
        field("MINUTE", "minute, 0-59") { $0.minute },
        field("SECOND", "second, 0-59") { $0.second },
        field("DAY_OF_WEEK", "ISO day of the week, 1 (Monday) - 7 (Sunday)") { $0.weekday },
    ]

    typealias Fields = (year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64, weekday: Int64)

    static func field(_ name: String, _ what: String, _ pick: @escaping @Sendable (Fields) -> Int64) -> Function {
        Function(name, "\(name)(t: String) -> Integer: the \(what), in UTC", arity: 1...1, [.string], returns: .int, weirOnly: true) { args in
            guard let t = instant(args[0]) else { return .error(.functionEvaluation) }
            return .int(Int32(clamping: pick(t.utcFields)))
        }
    }

    /// An instant as RFC 3339 text, or a functionEvaluation error when its year is not 0000 to
    /// 9999 (RFC 3339 has four-digit years).
    static func text(_ t: Timestamp) -> Val {
        t.isRFC3339 ? .string(t.rfc3339) : .error(.functionEvaluation)
    }

    static func instant(_ v: Val) -> Timestamp? {
        v.withUTF8 { Timestamp.parse($0) } ?? nil
    }

    static func integral(_ v: Val) -> Int64? {
        switch v {
        case .int(let i): return Int64(i)
        case .long(let i): return i
        case .double(let d): return Int64(exactly: d.rounded(.towardZero))
        default: return nil
        }
    }

    /// Milliseconds of a duration: a number of milliseconds, or duration text.
    static func duration(_ v: Val) -> Int64? {
        switch v {
        case .int, .long, .double: return integral(v)
        default: return v.stringValue.flatMap { TimeSpan(parsing: $0) }?.milliseconds
        }
    }
}
