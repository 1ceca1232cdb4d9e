import CoAP

/// ``ModuleDevice`` (the AT engine on a real LwM2M session) as an ``ATDevice``: every call
/// returns the AT bytes and the datagrams it caused together, whichever edge it came in by.
public struct NetworkedModule: ATDevice, Sendable {
    public private(set) var device: ModuleDevice

    public init(device: ModuleDevice) {
        self.device = device
    }

    public mutating func powerOn(now: Instant) -> ATDeviceOutput {
        Self.convert(device.powerOn(now: now), datagrams: [])
    }

    public mutating func receive(bytes: [UInt8], now: Instant) -> ATDeviceOutput {
        Self.convert(device.receive(atBytes: bytes, now: now), datagrams: [])
    }

    public mutating func receive(datagram: Datagram, now: Instant) -> ATDeviceOutput {
        let datagrams = device.receive(datagram, now: now)
        return Self.convert(device.takeOutput(), datagrams: datagrams)
    }

    public mutating func advance(to now: Instant) -> ATDeviceOutput {
        let datagrams = device.advance(to: now)
        return Self.convert(device.takeOutput(), datagrams: datagrams)
    }

    public var nextDeadline: Instant? { device.nextDeadline }

    private static func convert(_ output: DeviceOutput, datagrams: [Datagram]) -> ATDeviceOutput {
        ATDeviceOutput(bytes: output.bytes, datagrams: output.datagrams + datagrams,
                       stateToSave: output.stateToSave, diagnostics: output.diagnostics)
    }
}
