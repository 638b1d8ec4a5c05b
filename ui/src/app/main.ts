/** The staff app (/app/): registers the service worker, starts the sender, mounts the shell. */
import { createApp } from 'vue';
import { registerSW } from 'virtual:pwa-register';
import StaffApp from './StaffApp.vue';
import { startSender } from './outbox';
import './app.css';

// The worker precaches the shell and the barcode engine; /sw.js serves the /app/ scope only.
registerSW({ immediate: true });
startSender();
createApp(StaffApp).mount('#app');
