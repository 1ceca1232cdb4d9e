import Foundation
import Testing
@testable import ModuleCore

@Suite("Saved state")
struct PersistenceTests {
    /// A fresh directory under the system's temporary directory, removed by the caller.
    static func scratchDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/bc260-module-core-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let sample = ModuleState(
        workingServer: ServerConfiguration(host: "10.0.0.1", port: 5684, endpoint: "ep", lifetime: 86_400,
                                           securityMode: .preSharedKey, pskIdentity: "id", psk: "key", binding: .udpQueue),
        options: {
            var options = RegistrationOptions()
            options.platform = .andlink
            options.configuredResources = [.init(objectID: 3, instanceID: 0, resourceID: 17, value: "500677")]
            options.lifetimeEnable = false
            return options
        }(),
        customObjects: [CustomObjectInstance(objectID: 19, instanceID: 1, resourceIDs: [0]),
                        CustomObjectInstance(objectID: 19, instanceID: 0, resourceIDs: [0, 1, 2, 3])])

    @Test func roundTrip() throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = ModuleStateStore(directory: directory + "/nested/bc260")
        try store.save(Self.sample)
        let loaded = store.load()
        #expect(loaded.note == nil)
        #expect(loaded.state == Self.sample)
    }

    @Test func saveReplacesAtomicallyAndLeavesNoTemporaryFile() throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = ModuleStateStore(directory: directory)
        try store.save(.defaults)
        try store.save(Self.sample)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["module.json"])
        let attributes = try FileManager.default.attributesOfItem(atPath: store.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let text = try String(contentsOfFile: store.path, encoding: .utf8)
        #expect(text.hasSuffix("}\n"))
        #expect(text.contains("\"platform\" : 2"))
        #expect(store.load().state == Self.sample)
    }

    @Test func staleTemporaryFileDoesNotDisturbLoading() throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = ModuleStateStore(directory: directory)
        try store.save(Self.sample)
        // A crash between writing the temporary file and the rename leaves it behind.
        try "{\"formatVersion\":1,\"tor".write(toFile: store.path + ".tmp-1", atomically: false, encoding: .utf8)
        #expect(store.load().state == Self.sample)
    }

    @Test func missingFileGivesDefaultsAndANote() throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let loaded = ModuleStateStore(directory: directory).load()
        #expect(loaded.state == .defaults)
        #expect(loaded.note?.contains("no saved module state") == true)
    }

    @Test(arguments: [
        "{\"formatVersion\":1,\"tor",                            // truncated
        "not json at all",
        "{\"formatVersion\":1}",                                  // fields missing
        "{\"formatVersion\":2,\"options\":{},\"customObjects\":[]}",
    ])
    func corruptFileGivesDefaultsAndANote(content: String) throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = ModuleStateStore(directory: directory)
        try content.write(toFile: store.path, atomically: false, encoding: .utf8)
        let loaded = store.load()
        #expect(loaded.state == .defaults)
        #expect(loaded.note?.contains(store.path) == true)
        #expect(try String(contentsOfFile: store.path, encoding: .utf8) == content, "the file is left for a person to see")
    }

    @Test func outOfRangeValuesAreRefused() throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = ModuleStateStore(directory: directory)
        var tooMany = ModuleState()
        tooMany.customObjects = (0..<4).map { CustomObjectInstance(objectID: UInt16(100 + $0), instanceID: 0, resourceIDs: [0]) }
        var badLifetime = Self.sample
        badLifetime.workingServer?.lifetime = 5
        var builtIn = ModuleState()
        builtIn.customObjects = [CustomObjectInstance(objectID: 3, instanceID: 1, resourceIDs: [0])]
        for state in [tooMany, badLifetime, builtIn] {
            try store.save(state)
            let loaded = store.load()
            #expect(loaded.state == .defaults)
            #expect(loaded.note?.contains("out of range") == true)
        }
    }

    /// A file written before the key's bytes were kept (no `pskKey`) loads: the key is its text.
    @Test func aFileWithoutKeyBytesLoadsWithTheTypedKey() throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = ModuleStateStore(directory: directory)
        try #"""
        {"customObjects":[],"formatVersion":1,"options":{"ackTimeout":2,"autoAcknowledgeObserve":false,
        "configuredResources":[],"dtlsMode":0,"dtlsVersion":2,"lifetimeEnable":true,"maximumRetransmissions":4,"platform":0},
        "workingServer":{"binding":0,"endpoint":"ep","host":"10.0.0.1","lifetime":300,"port":5684,
        "psk":"key","pskIdentity":"id","securityMode":0}}
        """#.write(toFile: store.path, atomically: false, encoding: .utf8)
        let loaded = store.load()
        #expect(loaded.note == nil, "\(loaded.note ?? "")")
        #expect(loaded.state.workingServer?.pskKey == nil)
        #expect(loaded.state.workingServer?.keyBytes == Array("key".utf8))
    }

    /// Key bytes go through the file as they are; a hand-edited text the AT framing cannot
    /// carry is refused.
    @Test func keyBytesRoundTripAndAQuotedTextIsRefused() throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = ModuleStateStore(directory: directory)
        var state = Self.sample
        state.workingServer = ServerConfiguration(host: "10.0.0.1", port: 5684, endpoint: "ep", lifetime: 300,
                                                  pskIdentity: "id", key: [0x00, 0xFF, 0x22, 0x0A])
        try store.save(state)
        #expect(store.load().state.workingServer?.keyBytes == [0x00, 0xFF, 0x22, 0x0A])
        #expect(store.load().state.workingServer?.psk == "00ff220a")
        state.workingServer?.psk = "a\"b"
        state.workingServer?.pskKey = nil
        try store.save(state)
        #expect(store.load().note?.contains("out of range") == true)
    }

    @Test func defaultDirectoryFollowsXDG() {
        #expect(ModuleStateStore.defaultDirectory(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/bc260")
        #expect(ModuleStateStore.defaultDirectory(environment: ["XDG_STATE_HOME": "rel", "HOME": "/h"]) == "/h/.local/state/bc260")
        #expect(ModuleStateStore.defaultDirectory(environment: ["HOME": "/h"]) == "/h/.local/state/bc260")
        #expect(ModuleStateStore.defaultDirectory(environment: [:]) == nil)
        #expect(ModuleStateStore(directory: "/x/y/").path == "/x/y/module.json")
    }

    @Test func saveIntoAnUnwritablePlaceThrows() {
        let store = ModuleStateStore(path: "/proc/bc260-cannot-be-here/module.json")
        #expect(throws: ModuleStateStore.SaveError.self) { try store.save(.defaults) }
    }

    /// The engine hands out the state; a new engine built from the stored copy answers the same.
    @Test func engineStateSurvivesAPowerCycle() throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = ModuleStateStore(directory: directory)
        var bench = ModuleBench()
        bench.type("AT+QLACFG=\"platform\",2")
        bench.type("AT+QLACFG=\"cfg_res\",3,0,17,\"500677\"")
        bench.type("AT+QLAADDOBJ=19,1,1,0")
        bench.type("AT+QLAADDOBJ=19,0,4,0,1,2,3")
        bench.configure()
        try store.save(try #require(bench.savedState))

        var next = ModuleBench(state: store.load().state)
        for query in ["AT+QLACONFIG?", "AT+QLACFG?", "AT+QLAADDOBJ?"] {
            #expect(next.type(query) == bench.type(query), "\(query)")
        }
        #expect(next.type("AT+QLAADDOBJ?") == ["+QLAADDOBJ: 19,1,1,0", "+QLAADDOBJ: 19,0,4,0,1,2,3", "OK"])
        #expect(next.type("AT+QLASTATUS?") == ["+QLASTATUS: 0", "OK"])
    }

    @Test func bootstrapServerIsNotSavedButItsWorkingServerIs() throws {
        var bench = ModuleBench()
        bench.type("AT+QLACONFIG=1,\"lwm.home.komect.com\",5683,\"866971031275899\",30,3")
        var next = ModuleBench(state: try #require(bench.savedState))
        #expect(next.type("AT+QLACONFIG?") == ["OK"])
        #expect(next.type("AT+QLAREG") == ["ERROR"], "nothing to register with after a power cycle")

        bench.type("AT+QLAREG")
        let handed = ServerConfiguration(host: "10.9.9.9", port: 5683, endpoint: "866971031275899", lifetime: 30)
        bench.event(.bootstrapFinished(handed))
        next = ModuleBench(state: try #require(bench.savedState))
        #expect(next.type("AT+QLACONFIG?") == ["+QLACONFIG: 0,\"10.9.9.9\",5683,\"866971031275899\",30,3,0", "OK"])
    }

    @Test func everyChangeOfTheSavedPartIsHandedOut() {
        var bench = ModuleBench()
        #expect(bench.saveCount == 0, "echo and sleep settings are not saved")
        bench.type("AT+QLACFG=\"auto_ack\",1")
        #expect(bench.saveCount == 1)
        bench.type("AT+QLAADDOBJ=19,0,1,0")
        #expect(bench.saveCount == 2)
        bench.type("AT+QLADELOBJ=19")
        #expect(bench.saveCount == 3)
        bench.configure()
        #expect(bench.saveCount == 4)
        bench.type("AT+QLACFG?")
        bench.type("AT+QLASTATUS?")
        #expect(bench.saveCount == 4, "queries save nothing")
    }
}
