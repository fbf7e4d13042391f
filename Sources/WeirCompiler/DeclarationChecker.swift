import WeirCore
import WeirSyntax

/// Checks of declarations beyond names (which `Scope` resolves): windows and conditions.
enum DeclarationChecker {
    /// What a condition is when it can never be a Boolean (`"a String"`), else nil.
    static func nonBoolean(_ root: Node) -> String? {
        switch root.type {
        case .bool, .dynamic: return nil
        case .int, .long, .number, .double: return "a number"
        case .string: return "a String"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Durations greater than zero; a SLIDING step no larger than its size, and at most
    /// `AggregatePlan.maxWindowsPerEvent` windows per event.
    static func check(_ w: WindowClause) -> [Diagnostic] {
        var found: [Diagnostic] = []
        func positive(_ d: DurationLiteral, _ what: String) -> Bool {
            if d.milliseconds > 0 { return true }
            found.append(.error(.declaration, CompilerMessages.durationNotPositive(what), at: d.range))
            return false
        }
        switch w {
        case .tumbling(let size): _ = positive(size, "window size")
        case .session(let gap): _ = positive(gap, "session gap")
        case .sliding(let size, let every):
            guard positive(size, "window size") && positive(every, "SLIDING step") else { break }
            if every.milliseconds > size.milliseconds {
                found.append(.error(.declaration, CompilerMessages.stepLargerThanSize(
                    TimeSpan(milliseconds: every.milliseconds).description, TimeSpan(milliseconds: size.milliseconds).description),
                    at: every.range))
            } else {
                let windows = (size.milliseconds + every.milliseconds - 1) / every.milliseconds
                if windows > AggregatePlan.maxWindowsPerEvent {
                    found.append(.error(.declaration, CompilerMessages.tooManyWindows(windows, AggregatePlan.maxWindowsPerEvent),
                                        at: every.range))
                }
            }
        }
        return found
    }
}
