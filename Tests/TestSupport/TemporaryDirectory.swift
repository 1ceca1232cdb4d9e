import Foundation
import Glibc

/// A fresh directory under /tmp, removed with everything in it by `remove()` or when the value
/// goes away (call `remove()` in a `defer` to keep it alive until the test ends).
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    /// `prefix` names the directory (`/tmp/<prefix>XXXXXX`); keep it short where the path is
    /// shown on a screen line or must fit a socket address.
    public init(prefix: String = "bc260-test-") throws {
        var template = Array("/tmp/\(prefix)XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        path = String(cString: made)
    }

    deinit { remove() }

    /// The path of `name` inside the directory.
    public func file(_ name: String) -> String { "\(path)/\(name)" }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}
