import ATProtocol
import CoAP
import LwM2M
import Testing
@testable import ModuleCore

@Suite("AT+QLAADDOBJ and AT+QLADELOBJ")
struct ObjectTests {
    @Test func addThenQueryInTheOrderAdded() {
        var bench = ModuleBench()
        #expect(bench.type("AT+QLAADDOBJ?") == ["OK"])
        #expect(bench.type("AT+QLAADDOBJ=19,1,1,0") == ["OK"], "not registered: only OK")
        #expect(bench.type("AT+QLAADDOBJ=19,0,4,0,1,2,3") == ["OK"])
        #expect(bench.type("AT+QLAADDOBJ?") == ["+QLAADDOBJ: 19,1,1,0", "+QLAADDOBJ: 19,0,4,0,1,2,3", "OK"])
        #expect(bench.savedState?.customObjects.count == 2)
        #expect(bench.session.requests.isEmpty)
    }

    @Test(arguments: [
        "AT+QLAADDOBJ=19,0,2,0",                    // count 2, one id
        "AT+QLAADDOBJ=19,0,1,0,1",                  // count 1, two ids
        "AT+QLAADDOBJ=19,0,0",                      // no resource
        "AT+QLAADDOBJ=19,0,2,5,5",                  // an id twice
        "AT+QLAADDOBJ=3,1,1,0",                     // built-in object
        "AT+QLAADDOBJ=0,5,1,0",                     // built-in object
        "AT+QLAADDOBJ=65536,0,1,0",                 // object id out of range
        "AT+QLAADDOBJ=19,0,15,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14", // a 15th resource
    ])
    func parameterErrorsChangeNothing(line: String) {
        var bench = ModuleBench()
        #expect(bench.type(line) == ["ERROR"])
        #expect(bench.type("AT+QLAADDOBJ?") == ["OK"])
        #expect(bench.saveCount == 0)
    }

    @Test func fourteenResourcesAreAccepted() {
        var bench = ModuleBench()
        #expect(bench.type("AT+QLAADDOBJ=19,0,14,0,1,2,3,4,5,6,7,8,9,10,11,12,13") == ["OK"])
    }

    @Test func addingAnExistingInstanceIsAnError() {
        var bench = ModuleBench()
        bench.type("AT+QLAADDOBJ=19,0,1,0")
        #expect(bench.type("AT+QLAADDOBJ=19,0,1,1") == ["ERROR"])
        #expect(bench.type("AT+QLAADDOBJ?") == ["+QLAADDOBJ: 19,0,1,0", "OK"])
    }

    @Test func aFourthObjectIsRefused() {
        var bench = ModuleBench()
        for object in [19, 20, 3303] { #expect(bench.type("AT+QLAADDOBJ=\(object),0,1,0") == ["OK"]) }
        #expect(bench.type("AT+QLAADDOBJ=3304,0,1,0") == ["ERROR"])
        #expect(bench.type("AT+QLAADDOBJ=3303,1,1,0") == ["OK"], "more instances of an existing object are fine")
    }

    @Test func aFifthInstanceIsRefused() {
        var bench = ModuleBench()
        for instance in 0..<4 { #expect(bench.type("AT+QLAADDOBJ=19,\(instance),1,0") == ["OK"]) }
        #expect(bench.type("AT+QLAADDOBJ=19,4,1,0") == ["ERROR"])
        #expect(bench.module.saved.customObjects.count == 4)
    }

    @Test func deleteRemovesEveryInstanceOfTheObject() {
        var bench = ModuleBench()
        bench.type("AT+QLAADDOBJ=19,0,1,0")
        bench.type("AT+QLAADDOBJ=20,0,1,0")
        bench.type("AT+QLAADDOBJ=19,1,1,0")
        #expect(bench.type("AT+QLADELOBJ=19") == ["OK"])
        #expect(bench.type("AT+QLAADDOBJ?") == ["+QLAADDOBJ: 20,0,1,0", "OK"])
        #expect(bench.savedState?.customObjects == [CustomObjectInstance(objectID: 20, instanceID: 0, resourceIDs: [0])])
    }

    @Test(arguments: [0, 1, 3, 4, 5])
    func builtInObjectsCannotBeDeleted(object: Int) {
        var bench = ModuleBench()
        #expect(bench.type("AT+QLADELOBJ=\(object)") == ["ERROR"])
    }

    @Test func deletingAnObjectNeverAddedIsAnError() {
        var bench = ModuleBench()
        #expect(bench.type("AT+QLADELOBJ=17") == ["ERROR"])
        #expect(bench.type("AT+QLADELOBJ?") == ["ERROR"], "no query form")
    }

    @Test func notWhileRegistering() {
        var bench = ModuleBench()
        bench.configure()
        bench.type("AT+QLAADDOBJ=19,0,1,0")
        bench.type("AT+QLAREG")
        #expect(bench.type("AT+QLAADDOBJ=19,1,1,0") == ["ERROR"])
        #expect(bench.type("AT+QLADELOBJ=19") == ["ERROR"])
        #expect(bench.type("AT+QLAADDOBJ?") == ["+QLAADDOBJ: 19,0,1,0", "OK"], "the query works in any state")
    }

    @Test func whileRegisteredTheSessionSendsAnUpdateAndTheResultIsPrinted() throws {
        var bench = ModuleBench()
        bench.register()
        #expect(bench.type("AT+QLAADDOBJ=19,0,1,0") == ["OK"])
        let request = try #require(bench.session.last)
        guard case .updateObjects(let tree) = request.action else {
            Issue.record("expected an object update, got \(request.action)")
            return
        }
        #expect(tree.instanceIDs(of: 19) == [0])
        #expect(tree.definition(19)?[0] != nil)
        #expect(bench.event(.outcome(request.id, .completed(.success))) == ["+QLAADDOBJ: 0"])
        bench.type("AT+QLADELOBJ=19")
        let delete = try #require(bench.session.last)
        guard case .updateObjects(let after) = delete.action else {
            Issue.record("expected an object update")
            return
        }
        #expect(after.definition(19) == nil)
        #expect(bench.event(.outcome(delete.id, .completed(.timeout))) == ["+QLADELOBJ: 1"])
    }

    @Test func customObjectsReachTheRegistration() throws {
        var bench = ModuleBench()
        bench.type("AT+QLAADDOBJ=19,0,4,0,1,2,3")
        bench.type("AT+QLAADDOBJ=19,1,1,0")
        bench.configure()
        bench.type("AT+QLAREG")
        let objects = try #require(bench.session.lastRegister?.configuration.objects)
        #expect(objects.instanceIDs(of: 19) == [0, 1])
        #expect(objects.objectIDs == [0, 1, 3, 4, 5, 19])
    }
}
