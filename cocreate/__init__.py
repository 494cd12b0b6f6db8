"""Cocreate: the co-creation platform of the North Denmark B2B e-commerce programme."""
import os
from pathlib import Path

from flask import Flask

from config import CONFIGS, DEFAULT_SECRET_KEY

PROJECT_DIR = Path(__file__).resolve().parent.parent


def create_app(test_config=None):
    app = Flask(
        __name__,
        instance_path=str(PROJECT_DIR / "instance"),
        template_folder=str(PROJECT_DIR / "templates"),
        static_folder=str(PROJECT_DIR / "static"),
    )
    config_name = (test_config or {}).get("CONFIG_NAME") or os.environ.get("COCREATE_CONFIG", "development")
    app.config.from_object(CONFIGS[config_name])
    if test_config:
        app.config.update(test_config)
    _check_production_settings(app, config_name)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _init_extensions(app)
    _register_blueprints(app)

    from . import cli
    from .notifications import cli as notifications_cli
    from .ops import querycount

    cli.init_app(app)
    notifications_cli.init_app(app)
    querycount.init_app(app)
    return app


def _check_production_settings(app, config_name):
    if config_name == "production" and app.config["SECRET_KEY"] in (None, "", DEFAULT_SECRET_KEY):
        raise RuntimeError("Refusing to start in production without SECRET_KEY set to a secret value.")


def _init_extensions(app):
    from . import i18n, requestcache, templating
    from .maturity import setup as maturity_setup
    from .extensions import csrf, db, htmx, limiter, login_manager, migrate
    from .models import import_all_models
    from .search.models import include_object
    from .web import errors, htmx as htmx_web, pagecache, security

    import_all_models()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_DIR / "migrations"), render_as_batch=True,
                    include_object=include_object)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    login_manager.init_app(app)
    _configure_login(login_manager)
    templating.init_app(app)
    maturity_setup.init_app(app)
    htmx_web.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    pagecache.init_app(app)
    requestcache.init_app(app)


def _configure_login(manager):
    from flask_babel import lazy_gettext as _l

    from .accounts.loading import load_user

    manager.login_view = "accounts.login"
    manager.login_message = _l("Please log in to see that page.")
    manager.login_message_category = "info"
    manager.user_loader(load_user)


def _register_blueprints(app):
    from .accounts.views import bp as accounts_bp
    from .admin.views import bp as admin_bp
    from .areas.views import bp as areas_bp
    from .datasets.views import bp as datasets_bp
    from .ideas.views import bp as ideas_bp
    from .insights.views import bp as insights_bp
    from .main.views import bp as main_bp
    from .maturity.views import bp as maturity_bp
    from .notifications.views import bp as notifications_bp
    from .ops.views import bp as ops_bp
    from .orgs.views import bp as orgs_bp
    from .privacy.views import bp as privacy_bp
    from .search.views import bp as search_bp
    from .spaces.views import bp as spaces_bp
    from .web import limits
    from .workshops.views import bp as workshops_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(orgs_bp, url_prefix="/organisations")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(ops_bp)
    app.register_blueprint(spaces_bp)
    app.register_blueprint(maturity_bp, url_prefix="/maturity")
    app.register_blueprint(ideas_bp, url_prefix="/spaces/<slug>/challenges/<int:challenge_id>")
    app.register_blueprint(workshops_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(datasets_bp)
    app.register_blueprint(insights_bp)
    app.register_blueprint(areas_bp, url_prefix="/working-areas")
    app.register_blueprint(search_bp)
    app.register_blueprint(privacy_bp)
    # Limits attach to endpoints, so they come after every blueprint.
    limits.init_app(app)
