// The app's entry point (package.json "main"): importing a module registers its functions with the host.
import './http/openApi';
