import Runtime

/// A real module (or `bc260 serve --pty`) on a serial device: 8N1 at the given rate, reopened
/// by ``SerialLinkDriver`` whenever the device vanishes and returns; each change reaches the
/// status pane and the log.
public final class SerialModuleLink: ModuleLink {
    public var onBytes: ([UInt8]) -> Void = { _ in }
    public var onStatus: (String, String?) -> Void = { _, _ in }
    public let path: String
    public let configuration: SerialPort.Configuration
    private let driver: SerialLinkDriver
    private let retryInterval: Int64

    public init(path: String, configuration: SerialPort.Configuration, loop: EventLoop, retryInterval: Int64 = 1000) {
        self.path = path
        self.configuration = configuration
        self.retryInterval = retryInterval
        driver = SerialLinkDriver(path: path, configuration: configuration, retryInterval: retryInterval, loop: loop)
    }

    public var linkDescription: String {
        "\(path) \(configuration.baudRate)" + (driver.isConnected ? " connected" : " waiting")
    }

    public func start() {
        driver.onBytes = { [weak self] bytes in self?.onBytes(bytes) }
        driver.onEvent = { [weak self] event in self?.report(event) }
        onStatus(linkDescription, "opening \(path) at \(configuration.baudRate) bit/s")
        driver.start()
    }

    public func send(line: String) {
        if !driver.send(Array((line + "\r").utf8)) {
            onStatus(linkDescription, "\(path) is not connected: line not sent")
        }
    }

    public func stop() { driver.stop() }

    private func report(_ event: SerialLink.Event) {
        let note: String
        var state = linkDescription
        switch event {
        case .connected: note = "\(path) connected"
        case .lost(_, let reason):
            // The reason already names the device ("/dev/ttyUSB0 lost: read returned end of file").
            note = "\(reason); reconnecting"
            state = "\(path) \(configuration.baudRate) lost, waiting"
        case .openFailed(_, let attempt, let reason, _):
            note = attempt <= 1 ? "\(reason); retrying every \(retryInterval / 1000) s" : ""
            state = "\(path) \(configuration.baudRate) waiting (attempt \(attempt))"
        case .reconnected(_, let downtime, _): note = "\(path) reconnected after \(downtime / 1000) s"
        }
        onStatus(state, note.isEmpty ? nil : note)
    }
}
