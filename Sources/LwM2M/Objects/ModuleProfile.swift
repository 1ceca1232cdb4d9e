/// What makes one emulated BC260Y-CN's built-in objects its own: identity and the working
/// server's account. `ObjectTree(profile:)` turns it into objects 0, 1, 3, 4 and 5.
public struct ModuleProfile: Hashable, Sendable {
    public var imei: String
    public var serialNumber: String
    public var firmwareVersion = "BC260YCNAAR01A02"
    /// The Andlink product id kept at /3/0/17.
    public var deviceType: String?
    public var serverURI = "coap://127.0.0.1:5683"
    public var bootstrap = false
    public var securityMode = SecurityMode.noSecurity
    public var pskIdentity = ""
    public var psk: [UInt8] = []
    public var shortServerID: Int64 = 123
    public var lifetime: Int64 = 86400
    /// The server binding (/1/0/7): "U" or "UQ".
    public var serverBinding = "U"
    /// What the device supports (/3/0/16).
    public var supportedBinding = "UQ"
    public var ipAddress: String?
    public var signalStrength: Int64 = -85
    public var currentTime: Int64 = 0

    public init(imei: String, serialNumber: String? = nil) {
        self.imei = imei
        self.serialNumber = serialNumber ?? imei
    }
}

extension ObjectTree {
    /// The default tree of a BC260Y-CN: objects 0, 1, 3, 4, 5 with one instance each (no /1/0
    /// when the account is a bootstrap one). Object 19
    /// and other custom objects are added by the host at runtime.
    public init(profile p: ModuleProfile) {
        self.init(definitions: [.security, .server, .device, .connectivityMonitoring, .firmwareUpdate])
        let instances: [(UInt16, ObjectInstance)] = [
            (0, .security(serverURI: p.serverURI, bootstrap: p.bootstrap, mode: p.securityMode,
                          pskIdentity: p.pskIdentity, psk: p.psk, shortServerID: p.shortServerID)),
            (1, .server(shortServerID: p.shortServerID, lifetime: p.lifetime, binding: p.serverBinding)),
            (3, .device(serialNumber: p.serialNumber, firmwareVersion: p.firmwareVersion, deviceType: p.deviceType,
                        currentTime: p.currentTime, binding: p.supportedBinding)),
            (4, .connectivityMonitoring(signalStrength: p.signalStrength, ipAddresses: p.ipAddress.map { [$0] } ?? [])),
            (5, .firmwareUpdate()),
        ]
        // A bootstrap account has no Server instance: the Bootstrap-Server writes one.
        for (oid, inst) in instances where !(p.bootstrap && oid == 1) {
            objects[oid, default: [:]][inst.id] = inst
        }
    }
}
