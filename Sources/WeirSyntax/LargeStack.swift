#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the recursive passes over a syntax tree (parsing, lowering, folding, building
/// evaluators, explaining) on a thread of their own whose stack holds the deepest tree
/// `ParseOptions.maximumDepth` allows, even in a debug build, whichever thread asks: a
/// secondary thread may have as little as 512 KiB of stack, and a debug build spends several
/// kilobytes of it per level.
package enum LargeStack {
    /// The stack of the helper thread: 16 MiB of address space, of which only the pages a
    /// deep tree touches are ever committed.
    package static let size = 16 << 20

    /// `body`'s result, computed on a thread with a `size` stack; the caller waits for it.
    /// Should no thread be available, `body` runs on the caller's thread.
    package static func run<T>(_ body: () -> T) -> T {
        withoutActuallyEscaping(body) { escapable in
            var result: T?
            let job = Job { result = escapable() }
            if !job.runOnLargeStack() { job.work() }
            return result!
        }
    }

    private final class Job {
        let work: () -> Void

        init(_ work: @escaping () -> Void) { self.work = work }

        /// The helper thread's body: the job passed (retained) as its context.
        static func start(_ context: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
            Unmanaged<Job>.fromOpaque(context).takeRetainedValue().work()
            return nil
        }

        /// Runs `work` on a new thread and joins it; false when no thread could be made.
        func runOnLargeStack() -> Bool {
            var attributes = pthread_attr_t()
            guard pthread_attr_init(&attributes) == 0 else { return false }
            defer { pthread_attr_destroy(&attributes) }
            guard pthread_attr_setstacksize(&attributes, LargeStack.size) == 0 else { return false }
            let context = Unmanaged.passRetained(self).toOpaque()
            #if canImport(Darwin)
            var thread: pthread_t?
            #else
            var thread = pthread_t()
            #endif
            #if canImport(Darwin)
            let created = pthread_create(&thread, &attributes, { Job.start($0) }, context)
            #else
            let created = pthread_create(&thread, &attributes, { Job.start($0!) }, context)
            #endif
            guard created == 0 else {
                Unmanaged<Job>.fromOpaque(context).release()
                return false
            }
            #if canImport(Darwin)
            pthread_join(thread!, nil)
            #else
            pthread_join(thread, nil)
            #endif
            return true
        }
    }
}
