import { LitElement, html, css } from 'lit';
import { handlers, subscriptions } from 'build-time-data';

/** The handlers as the build found them (channel, queue, settings from their annotations, breakers), and the subscriptions. */
export class QwcErrandHandlers extends LitElement {

    static styles = css`
        :host { display: block; padding: 0 1em; }
        table { border-collapse: collapse; width: 100%; margin-bottom: 1.5em; }
        th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--lumo-contrast-10pct); vertical-align: top; }
        code { font-size: var(--lumo-font-size-s); }
        .none { color: var(--lumo-secondary-text-color); }
    `;

    render() {
        return html`
            <h3>Handlers</h3>
            ${handlers.length === 0 ? html`<p class="none">No handler: an @Incoming method that takes a Task.</p>` : html`
            <table id="handlers">
                <tr><th>Channel</th><th>Queue</th><th>Handler</th><th>Payload</th><th>Settings</th><th>Breakers</th></tr>
                ${handlers.map(h => html`
                <tr data-channel="${h.channel}">
                    <td>${h.channel}</td><td><code>${h.queue}</code></td><td><code>${h.handler}</code></td>
                    <td><code>${h.payload}</code></td>
                    <td>${Object.entries(h.settings).map(([k, v]) => html`<div><code>${k}=${v}</code></div>`)}</td>
                    <td>${h.breakers.join(', ')}</td>
                </tr>`)}
            </table>`}
            <h3>Subscriptions</h3>
            ${subscriptions.length === 0 ? html`<p class="none">No @Subscribe handler.</p>` : html`
            <table id="subscriptions">
                <tr><th>Channel</th><th>Event types</th><th>Handler</th></tr>
                ${subscriptions.map(s => html`
                <tr data-channel="${s.channel}">
                    <td>${s.channel}</td><td>${s.types.map(t => t === '' ? '(every type)' : t).join(', ')}</td>
                    <td><code>${s.handler}</code></td>
                </tr>`)}
            </table>`}`;
    }
}
customElements.define('qwc-errand-handlers', QwcErrandHandlers);
