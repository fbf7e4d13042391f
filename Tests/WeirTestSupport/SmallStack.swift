import Foundation

/// A result handed from the small-stack thread to the waiting test.
private final class SmallStackResult<T>: @unchecked Sendable {
    // Safety: written by the thread before it signals, read after the wait.
    var value: T?
}

/// Runs `body` on a new thread with a small stack (512 KiB, what secondary threads commonly
/// get), and waits for it: a recursive walk over a deep value overflows it and crashes the test.
public func onSmallStack<T>(_ body: @escaping @Sendable () -> T) -> T {
    let box = SmallStackResult<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.value = body()
        done.signal()
    }
    thread.stackSize = 512 << 10
    thread.start()
    done.wait()
    return box.value!
}
