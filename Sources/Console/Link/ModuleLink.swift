/// The thing behind the AT link: the emulated module in-process, or a real module on a serial
/// port. The console sends it lines and gets back whatever bytes the module prints; it never
/// asks for anything else, so every backend looks the same to the panes.
///
/// Contract: `start()` begins delivering through `onBytes` and `onStatus` (from the console's
/// event loop, never another thread); `send(line:)` writes the line and a CR; a line sent while
/// the link is down is dropped and reported through `onStatus`; `stop()` ends all delivery.
public protocol ModuleLink: AnyObject {
    /// Bytes the module printed: echo, framed responses, URCs.
    var onBytes: ([UInt8]) -> Void { get set }
    /// The link changed: its description for the status pane, and a note for the log (or nil).
    var onStatus: (_ description: String, _ note: String?) -> Void { get set }
    /// The link in words, for the status pane.
    var linkDescription: String { get }
    func start()
    func send(line: String)
    func stop()
}
