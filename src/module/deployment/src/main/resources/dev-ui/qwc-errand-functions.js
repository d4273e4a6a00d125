import { LitElement, html, css } from 'lit';
import { functions, schedules } from 'build-time-data';

/** The durable functions and workflows, and the schedules, as the build found them. */
export class QwcErrandFunctions extends LitElement {

    static styles = css`
        :host { display: block; padding: 0 1em; }
        table { border-collapse: collapse; width: 100%; margin-bottom: 1.5em; }
        th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--lumo-contrast-10pct); vertical-align: top; }
        code { font-size: var(--lumo-font-size-s); }
        .none { color: var(--lumo-secondary-text-color); }
    `;

    render() {
        return html`
            <h3>Durable functions and workflows</h3>
            ${functions.length === 0 ? html`<p class="none">No @DurableFunction or @DurableWorkflow.</p>` : html`
            <table id="functions">
                <tr><th>Name</th><th>Kind</th><th>Method</th><th>Queue</th><th>Timeout</th><th>Outside signals</th><th>Settings</th><th>Breakers</th></tr>
                ${functions.map(f => html`
                <tr data-function="${f.name}">
                    <td>${f.name}</td><td>${f.kind}</td><td><code>${f.method}</code></td><td><code>${f.queue}</code></td>
                    <td>${f.timeout}</td><td>${f.outsideSignals.join(', ')}</td>
                    <td>${Object.entries(f.settings).map(([k, v]) => html`<div><code>${k}=${v}</code></div>`)}</td>
                    <td>${f.breakers.join(', ')}</td>
                </tr>`)}
            </table>`}
            <h3>Schedules</h3>
            ${schedules.length === 0 ? html`<p class="none">No @DurableSchedule.</p>` : html`
            <table id="schedules">
                <tr><th>Name</th><th>Method</th><th>When</th><th>Zone</th><th>Missed ticks</th></tr>
                ${schedules.map(s => html`
                <tr data-schedule="${s.name}">
                    <td>${s.name}</td><td><code>${s.method}</code></td>
                    <td>${s.every ? 'every ' + s.every : 'cron ' + s.cron}</td><td>${s.zone}</td><td>${s.missed}</td>
                </tr>`)}
            </table>`}`;
    }
}
customElements.define('qwc-errand-functions', QwcErrandFunctions);
