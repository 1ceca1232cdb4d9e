/// What the basic commands report about this particular module and its network.
public struct ModuleIdentity: Hashable, Sendable {
    public var imei: String
    public var imsi: String
    /// `AT+CGSN=0` (serial number).
    public var serialNumber: String
    /// `AT+CGMR` / `ATI`: `Revision: <revision>`.
    public var revision: String
    /// `AT+CGPADDR?`: the PDP address of context 0.
    public var pdpAddress: String
    /// `AT+CSQ`: `<rssi>,<ber>`.
    public var rssi: Int64
    public var bitErrorRate: Int64

    public init(imei: String = "867724030023557", imsi: String = "460111174747875", serialNumber: String? = nil,
                revision: String = "BC260YCNAAR01A02", pdpAddress: String = "10.177.135.245",
                rssi: Int64 = 24, bitErrorRate: Int64 = 0) {
        self.imei = imei
        self.imsi = imsi
        self.serialNumber = serialNumber ?? "BC260Y" + String(imei.suffix(9))
        self.revision = revision
        self.pdpAddress = pdpAddress
        self.rssi = rssi
        self.bitErrorRate = bitErrorRate
    }

    /// `AT+CGSN=2`: the IMEI's first 14 digits and a two-digit software version number.
    public var imeisv: String { String(imei.prefix(14)) + softwareVersionNumber }

    /// `AT+CGSN=3`.
    public var softwareVersionNumber: String { "01" }
}

/// The engine's own timings (response latency is not here: the serve layer adds it).
public struct ModuleTiming: Hashable, Sendable {
    /// With AT+QSCLK=1, how long the module stays awake with nothing to do before it enters deep
    /// sleep. A real BC260Y-CN sleeps once the network releases the connection and the PSM
    /// active timer runs out, typically some seconds after the last exchange; 10 s keeps a bench
    /// session lively without sleeping under the user's fingers.
    public var deepSleepIdleMilliseconds: Int64
    /// From AT+QRST=1's `OK` to the banner of the restarted module; input is ignored meanwhile.
    public var restartMilliseconds: Int64
    /// AT+QSCLK after power-up. The module allows sleep by default, which is why every example
    /// of the note starts with AT+QSCLK=0.
    public var sleepAllowedAtPowerUp: Bool

    public init(deepSleepIdleMilliseconds: Int64 = 10_000, restartMilliseconds: Int64 = 1_000,
                sleepAllowedAtPowerUp: Bool = true) {
        self.deepSleepIdleMilliseconds = max(1, deepSleepIdleMilliseconds)
        self.restartMilliseconds = max(0, restartMilliseconds)
        self.sleepAllowedAtPowerUp = sleepAllowedAtPowerUp
    }
}
