import Foundation

/// Heavy work (feature extraction, generation) on one dedicated compute thread, never on the
/// UI thread or Swift's cooperative pool. Jobs report progress and are cancelled between
/// steps; a newer job for the same key (a clip) supersedes a queued or running older one.
public final class JobQueue: @unchecked Sendable {
    public enum State: Sendable, Equatable { case queued, running }

    public struct Status: Sendable, Equatable {
        public var id: Int
        public var key: String
        public var label: String
        public var progress: Double
        public var state: State
        /// What the job is doing now, in words (nil: the label says enough).
        public var detail: String?

        public init(id: Int, key: String, label: String, progress: Double, state: State, detail: String? = nil) {
            self.id = id; self.key = key; self.label = label; self.progress = progress; self.state = state; self.detail = detail
        }
    }

    /// Handed to a running job: `progress` records the fraction and answers whether to go on.
    public final class Context: @unchecked Sendable {
        fileprivate weak var queue: JobQueue?
        fileprivate let id: Int
        fileprivate init(queue: JobQueue, id: Int) { self.queue = queue; self.id = id }

        public var isCancelled: Bool { queue?.isCancelled(id) ?? true }

        public func progress(_ fraction: Double) -> Bool {
            guard let queue else { return false }
            return queue.report(id, min(1, max(0, fraction)))
        }

        /// Sets the running job's detail line.
        public func detail(_ text: String) { queue?.describe(id, text) }
    }

    public typealias Work = @Sendable (Context) throws -> Void

    private struct Job {
        var status: Status
        var work: Work
        var cancelled = false
    }

    private let condition = NSCondition()
    private var jobs: [Job] = []          // the running job (if any) first, then queued ones
    private var nextID = 1
    private var running = true
    private var thread: Thread?
    /// Called on the compute thread when a job ends: nil error = done; GenerationCancelled-like
    /// errors are reported as `cancelled`.
    private let finished: @Sendable (Status, Result<Void, Error>, _ cancelled: Bool) -> Void

    public init(finished: @escaping @Sendable (Status, Result<Void, Error>, Bool) -> Void) {
        self.finished = finished
        let t = Thread { [unowned self] in self.loop() }
        t.name = "foley.compute"
        t.stackSize = 8 << 20
        thread = t
        t.start()
    }

    deinit { shutdown() }

    /// Stops after the running job notices cancellation; queued jobs are dropped.
    public func shutdown() {
        condition.lock()
        running = false
        for i in jobs.indices { jobs[i].cancelled = true }
        condition.broadcast()
        condition.unlock()
        while let t = thread, !t.isFinished { usleep(1000) }
        thread = nil
    }

    /// Queues `work` under `key`, cancelling every older job with the same key.
    @discardableResult
    public func submit(key: String, label: String, work: @escaping Work) -> Int {
        condition.lock(); defer { condition.unlock() }
        let id = nextID
        nextID += 1
        for i in jobs.indices where jobs[i].status.key == key { jobs[i].cancelled = true }
        jobs.removeAll { $0.cancelled && $0.status.state == .queued }
        jobs.append(Job(status: Status(id: id, key: key, label: label, progress: 0, state: .queued), work: work))
        condition.broadcast()
        return id
    }

    public func cancel(id: Int) {
        condition.lock(); defer { condition.unlock() }
        for i in jobs.indices where jobs[i].status.id == id { jobs[i].cancelled = true }
        jobs.removeAll { $0.cancelled && $0.status.state == .queued }
    }

    public func cancelAll() {
        condition.lock(); defer { condition.unlock() }
        for i in jobs.indices { jobs[i].cancelled = true }
        jobs.removeAll { $0.status.state == .queued }
    }

    /// Running and queued jobs, the running one first (cancelled ones are left out).
    public var statuses: [Status] {
        condition.lock(); defer { condition.unlock() }
        return jobs.filter { !$0.cancelled }.map(\.status)
    }

    /// Blocks until no job is queued or running (tests and benchmarks).
    public func waitIdle() {
        condition.lock()
        while !jobs.isEmpty { condition.wait() }
        condition.unlock()
    }

    fileprivate func isCancelled(_ id: Int) -> Bool {
        condition.lock(); defer { condition.unlock() }
        return jobs.first { $0.status.id == id }?.cancelled ?? true
    }

    fileprivate func report(_ id: Int, _ fraction: Double) -> Bool {
        condition.lock(); defer { condition.unlock() }
        guard let i = jobs.firstIndex(where: { $0.status.id == id }) else { return false }
        jobs[i].status.progress = fraction
        return !jobs[i].cancelled
    }

    fileprivate func describe(_ id: Int, _ text: String) {
        condition.lock(); defer { condition.unlock() }
        guard let i = jobs.firstIndex(where: { $0.status.id == id }) else { return }
        jobs[i].status.detail = text
    }

    private func loop() {
        while true {
            condition.lock()
            while running && jobs.isEmpty { condition.wait() }
            guard running, !jobs.isEmpty else { condition.unlock(); return }
            jobs[0].status.state = .running
            let job = jobs[0]
            condition.unlock()

            let context = Context(queue: self, id: job.status.id)
            let result: Result<Void, Error>
            if job.cancelled { result = .success(()) } else { result = Result { try job.work(context) } }

            condition.lock()
            let cancelled = jobs.first { $0.status.id == job.status.id }?.cancelled ?? true
            let status = jobs.first { $0.status.id == job.status.id }?.status ?? job.status
            condition.unlock()
            // Report before removing, so waitIdle() returns only after the handler has run.
            finished(status, result, cancelled)
            condition.lock()
            jobs.removeAll { $0.status.id == job.status.id }
            condition.broadcast()
            condition.unlock()
        }
    }
}
